// Colours: by change status, by kind, and the quiet ones for context.
export const StatusColor = {
  added: '#3fb950',
  removed: '#f85149',
  unchanged: '#8b949e',
} as const;

const KIND_COLORS: Record<string, string> = {
  host: '#8ab8ff',
  process: '#73bf69',
  container: '#5794f2',
  pod: '#b877d9',
  workload: '#ff9830',
  service: '#f2cc0c',
  namespace: '#96d98d',
  external: '#c4c4c4',
};

const EXTRA = ['#fade2a', '#ff7383', '#8f3bb8', '#37872d', '#1f60c4', '#c4162a', '#fa6400', '#56a64b'];

export function kindColor(kind: string): string {
  if (KIND_COLORS[kind]) return KIND_COLORS[kind];
  let h = 0;
  for (let i = 0; i < kind.length; i++) h = (h * 31 + kind.charCodeAt(i)) >>> 0;
  return kind ? EXTRA[h % EXTRA.length] : '#73bf69';
}
