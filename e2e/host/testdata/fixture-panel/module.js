/* A panel written by hand as Grafana's loader sees a create-plugin build: an anonymous AMD module that asks for
 * `require`, `module` (its uri), `exports` and shared modules, and declares an option and a field config default. It shows
 * what it received, for e2e/host/loader.test.ts. */
define(['require', 'module', 'exports', 'react', '@grafana/data', 'lodash'], function (require, module, exports, React, data, lodash) {
  'use strict';
  function FixturePanel(props) {
    var frame = props.data.series[0];
    var field = frame ? frame.fields[1] : undefined;
    var shown = {
      moduleUri: module.uri,
      greeting: props.options.greeting,
      size: props.options.size,
      unit: field ? field.config.unit : null,
      decimals: field ? field.config.decimals : null,
      display: field && field.display ? data.formattedValueToString(field.display(1234.5)) : null,
      replaced: props.replaceVariables('${service:regex}'),
      lodashIsLibrary: typeof lodash.get === 'function',
      requireGiven: typeof require === 'function',
    };
    return React.createElement('pre', { 'data-testid': 'fixture-panel' }, JSON.stringify(shown));
  }
  exports.plugin = new data.PanelPlugin(FixturePanel)
    .setPanelOptions(function (builder) {
      return builder
        .addTextInput({ path: 'greeting', name: 'Greeting', defaultValue: 'hello' })
        .addNumberInput({ path: 'size', name: 'Size', defaultValue: 3 });
    })
    .useFieldConfig({ standardOptions: { unit: { defaultValue: 'ms' } } });
});
