module.exports = require('../common/webpack.plugin.js').makePluginConfig({ dir: __dirname });
