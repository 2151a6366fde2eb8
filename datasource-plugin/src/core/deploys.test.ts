import { annotationText } from './deploys';

describe('a deploy annotation text', () => {
  const where = { kind: 'Deployment', namespace: 'shop', workload: 'orders', source: 'kubernetes' };

  it('starts with the subject alone when the event has no author (a rollout)', () => {
    const text = annotationText({ ...where, subject: 'Deployment orders rollout' }, '2', 'succeeded');
    expect(text.split('\n')).toEqual([
      'Deployment orders rollout',
      'Deployment shop/orders @ 2 (succeeded, via kubernetes)',
    ]);
  });

  it('joins author and subject, and keeps label values text', () => {
    const text = annotationText(
      { ...where, author: 'Ada <a>', subject: 'fix & ship', url: 'https://x/c/1' },
      'abc',
      'in progress',
    );
    expect(text.split('\n')).toEqual([
      'Ada &lt;a&gt;: fix &amp; ship',
      'Deployment shop/orders @ abc (in progress, via kubernetes)',
      'https://x/c/1',
    ]);
  });
});
