/* A panel that wants @grafana/schema from the host, which Grafana does not share: Grafana cannot load it, so the
 * host must not either (e2e/host/loader.test.ts). */
define(['exports', 'react', '@grafana/data', '@grafana/schema'], function (exports, React, data) {
  'use strict';
  exports.plugin = new data.PanelPlugin(function () {
    return React.createElement('div', null, 'should never render');
  });
});
