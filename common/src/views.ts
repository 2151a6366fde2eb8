// The views of the topology: what the datasource's query asks for (`view`) and what the panel's view switch sets
// (through the dashboard variable the query reads). One list, so the two plugins cannot drift apart.

export const VIEWS = ['host', 'process', 'container', 'pod', 'workload', 'service'] as const;
export type View = (typeof VIEWS)[number];
