// The first module of each plugin bundle: webpack's public path (where chunks and images are fetched from) is the
// folder Grafana loaded module.js from, read from the AMD `module` dependency (SystemJS hands `{ uri }`), as
// @grafana/create-plugin's builds do. Without a uri the build-time default public/plugins/<id>/ stays.
import amdModule from 'amd-module';

const uri = amdModule && typeof amdModule.uri === 'string' ? amdModule.uri : '';
if (uri.includes('/')) {
  // eslint-disable-next-line no-undef
  __webpack_public_path__ = uri.slice(0, uri.lastIndexOf('/') + 1);
}
