import { parseDeployTags } from '@timescope/common';
import type { DeployAnnotation } from './deploys';
import { deploysFrame } from './run';

describe('deploysFrame', () => {
  const rev = 'd4e5f60718293a4b5c6d7e8f9012345678901234';
  const event: DeployAnnotation = {
    id: 'flux-1',
    time: 5000,
    timeEnd: 65000,
    title: `frontend ${rev.slice(0, 12)}`,
    text: 'Edsger: fix &quot;quotes&quot;',
    tags: ['deploy', 'shop', 'frontend', 'flux', 'succeeded'],
    namespace: 'shop',
    workload: 'frontend',
    revision: rev,
    status: 'succeeded',
    url: `https://git.example.com/shop/frontend/commit/${rev}?a=1,b=2`,
  };

  it("carries the deploy's fields in Grafana's annotation fields, as key:value tags after the display tags", () => {
    const frame = deploysFrame([event], 'A');
    expect(frame.fields.map((f) => f.name)).toEqual(['time', 'timeEnd', 'title', 'text', 'tags', 'id']);
    const tags = frame.fields.find((f) => f.name === 'tags')?.values[0] as string[];
    expect(tags.slice(0, 5)).toEqual(event.tags);
    expect(parseDeployTags(tags)).toEqual({
      namespace: 'shop',
      workload: 'frontend',
      revision: rev,
      status: 'succeeded',
      url: event.url,
    });
  });
});
