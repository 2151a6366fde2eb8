import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerFromCgroup } from './cgroup';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../../testdata/proc', name), 'utf8');
const DOCKER = '4f1c2a9b7d3e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd';
const CONTAINERD = 'a1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcdef0';
const CRIO = 'bb11cc22dd33ee44ff5566778899aabbccddeeff00112233445566778899aabb';
const PODMAN = 'cc00dd11ee22ff3344556677889900aabbccddeeff00112233445566778899aa';

describe('containerFromCgroup', () => {
  it.each([
    ['cgroup-v1-docker', DOCKER, 'docker'],
    ['cgroup-v2-docker-systemd', DOCKER, 'docker'],
    ['cgroup-v2-docker-cgroupfs', DOCKER, 'docker'],
    ['cgroup-v2-containerd-k8s', CONTAINERD, 'containerd'],
    ['cgroup-v2-containerd-systemd-driver', CONTAINERD, 'containerd'],
    ['cgroup-v1-containerd-k8s', CONTAINERD, 'unknown'],
    ['cgroup-v2-crio', CRIO, 'cri-o'],
    ['cgroup-v1-crio', CRIO, 'cri-o'],
    ['cgroup-v2-podman', PODMAN, 'podman'],
    ['cgroup-v1-podman', PODMAN, 'podman'],
    ['cgroup-v2-podman-rootless', PODMAN, 'podman'],
  ])('%s: container %s of %s', (file, id, runtime) => {
    expect(containerFromCgroup(fixture(file))).toEqual({ id, runtime });
  });

  it.each(['cgroup-v2-host', 'cgroup-hybrid-host', 'cgroup-v2-crio-conmon'])('%s: no container', (file) => {
    expect(containerFromCgroup(fixture(file))).toBeUndefined();
  });

  it('ignores garbage and short ids', () => {
    expect(containerFromCgroup('not a cgroup line\n\n::\n4:memory:/process_api/24f3e23d55d9460f3a420d21d3566023')).toBe(
      undefined,
    );
    expect(containerFromCgroup('')).toBeUndefined();
  });
});
