// The container a process runs in, from the paths of /proc/<pid>/cgroup (cgroup v1 "N:controllers:/path" lines and
// the v2 "0::/path" line). Patterns of Docker, containerd (plain and Kubernetes), CRI-O and Podman, with the
// cgroupfs and systemd drivers.
export type ContainerRuntime = 'docker' | 'containerd' | 'cri-o' | 'podman' | 'unknown';

export interface ContainerRef {
  /** the full 64-hex id */
  id: string;
  runtime: ContainerRuntime;
}

const HEX64 = '([0-9a-f]{64})';
const PATTERNS: [RegExp, ContainerRuntime | 'conmon'][] = [
  // runtime monitors (conmon) sit beside the container; they are not in it
  [new RegExp(`(?:crio|libpod)-conmon-${HEX64}`), 'conmon'],
  [new RegExp(`/docker[-/]${HEX64}(?:\\.scope)?(?:/|$)`), 'docker'],
  [new RegExp(`cri-containerd[-:]${HEX64}(?:\\.scope)?(?:/|$)`), 'containerd'],
  [new RegExp(`crio-${HEX64}(?:\\.scope)?(?:/|$)`), 'cri-o'],
  [new RegExp(`libpod-${HEX64}(?:\\.scope)?(?:/|$)`), 'podman'],
  // cgroupfs driver under Kubernetes (/kubepods/besteffort/pod<uid>/<id>) or containerd namespaces (/default/<id>)
  [new RegExp(`/${HEX64}$`), 'unknown'],
];

export function containerFromCgroup(text: string): ContainerRef | undefined {
  // The v2 line (hierarchy 0) is authoritative when present; v1 lines follow.
  const lines = text.split('\n').filter((l) => l.length > 0);
  lines.sort((a, b) => Number(!a.startsWith('0::')) - Number(!b.startsWith('0::')));
  for (const line of lines) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const path = line.slice(second + 1);
    for (const [re, runtime] of PATTERNS) {
      const m = re.exec(path);
      if (!m) continue;
      return runtime === 'conmon' ? undefined : { id: m[1], runtime };
    }
  }
  return undefined;
}
