// Datasource settings: the Prometheus URL (reached through Grafana's data proxy), basic auth or a bearer token
// (kept in secureJsonData, never sent back to the browser), the exporters' scrape interval and the store (detected
// unless named: core/store.ts).
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup, SecretInput } from '@grafana/ui';
import type { ChangeEvent, ReactElement } from 'react';
import { parseScrapeIntervalMs } from '../core/query';
import type { TopologyOptions, TopologySecureOptions } from '../types';

type Props = DataSourcePluginOptionsEditorProps<TopologyOptions, TopologySecureOptions>;

const STORE_OPTIONS = [
  { label: 'Detect', value: 'auto' as const, description: 'from its build info' },
  { label: 'Prometheus 2.x', value: 'prometheus-2' as const },
  { label: 'Prometheus 3', value: 'prometheus-3' as const },
  { label: 'VictoriaMetrics', value: 'victoriametrics' as const },
];
type StoreValue = (typeof STORE_OPTIONS)[number]['value'];

const AUTH_OPTIONS = [
  { label: 'None', value: 'none' as const },
  { label: 'Basic auth', value: 'basic' as const },
  { label: 'Bearer token', value: 'bearer' as const },
];

export function ConfigEditor({ options, onOptionsChange }: Props): ReactElement {
  const json = options.jsonData;
  const secure = options.secureJsonFields ?? {};
  const auth = json.authMethod ?? (options.basicAuth ? 'basic' : 'none');
  const intervalError =
    json.scrapeInterval && !parseScrapeIntervalMs(json.scrapeInterval) ? 'A duration such as 15s or 1m' : '';

  const setAuth = (method: 'none' | 'basic' | 'bearer'): void => {
    onOptionsChange({
      ...options,
      access: 'proxy',
      basicAuth: method === 'basic',
      jsonData: {
        ...json,
        authMethod: method,
        // Grafana's data proxy adds httpHeaderName1: httpHeaderValue1 to every request
        httpHeaderName1: method === 'bearer' ? 'Authorization' : undefined,
      },
    });
  };

  return (
    <>
      <FieldSet label="Prometheus">
        <Field
          label="URL"
          description="Prometheus base URL as Grafana's server reaches it, e.g. http://prometheus:9090"
          required
        >
          <Input
            width={60}
            value={options.url}
            placeholder="http://prometheus:9090"
            onChange={(e: ChangeEvent<HTMLInputElement>) =>
              onOptionsChange({ ...options, url: e.currentTarget.value.trim(), access: 'proxy' })
            }
          />
        </Field>
        <Field
          label="Scrape interval"
          description="The exporters' scrape interval; a node is present at T if it has a sample in the last two intervals"
          invalid={Boolean(intervalError)}
          error={intervalError}
        >
          <Input
            width={20}
            value={json.scrapeInterval ?? ''}
            placeholder="15s"
            onChange={(e: ChangeEvent<HTMLInputElement>) =>
              onOptionsChange({ ...options, jsonData: { ...json, scrapeInterval: e.currentTarget.value.trim() } })
            }
          />
        </Field>
        <Field
          label="Store"
          description="What answers at the URL: decides the range selectors' window (Prometheus 2.x includes its left end, Prometheus 3 and VictoriaMetrics do not) and MetricsQL's increase_prometheus()"
        >
          <RadioButtonGroup
            options={STORE_OPTIONS}
            value={json.store ?? 'auto'}
            onChange={(store: StoreValue) => onOptionsChange({ ...options, jsonData: { ...json, store } })}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Authentication">
        <Field label="Method">
          <RadioButtonGroup options={AUTH_OPTIONS} value={auth} onChange={setAuth} />
        </Field>
        {auth === 'basic' && (
          <>
            <Field label="User">
              <Input
                width={40}
                value={options.basicAuthUser ?? ''}
                onChange={(e: ChangeEvent<HTMLInputElement>) =>
                  onOptionsChange({ ...options, basicAuthUser: e.currentTarget.value })
                }
              />
            </Field>
            <Field label="Password">
              <SecretInput
                width={40}
                isConfigured={Boolean(secure.basicAuthPassword)}
                value={options.secureJsonData?.basicAuthPassword ?? ''}
                onChange={(e: ChangeEvent<HTMLInputElement>) =>
                  onOptionsChange({
                    ...options,
                    secureJsonData: { ...options.secureJsonData, basicAuthPassword: e.currentTarget.value },
                  })
                }
                onReset={() =>
                  onOptionsChange({
                    ...options,
                    secureJsonFields: { ...secure, basicAuthPassword: false },
                    secureJsonData: { ...options.secureJsonData, basicAuthPassword: '' },
                  })
                }
              />
            </Field>
          </>
        )}
        {auth === 'bearer' && (
          <Field label="Token" description="Sent as Authorization: Bearer <token> by Grafana's server">
            <SecretInput
              width={60}
              isConfigured={Boolean(secure.httpHeaderValue1)}
              value={(options.secureJsonData?.httpHeaderValue1 ?? '').replace(/^Bearer /, '')}
              onChange={(e: ChangeEvent<HTMLInputElement>) =>
                onOptionsChange({
                  ...options,
                  jsonData: { ...json, httpHeaderName1: 'Authorization' },
                  secureJsonData: {
                    ...options.secureJsonData,
                    httpHeaderValue1: `Bearer ${e.currentTarget.value.trim()}`,
                  },
                })
              }
              onReset={() =>
                onOptionsChange({
                  ...options,
                  secureJsonFields: { ...secure, httpHeaderValue1: false },
                  secureJsonData: { ...options.secureJsonData, httpHeaderValue1: '' },
                })
              }
            />
          </Field>
        )}
      </FieldSet>
    </>
  );
}
