import { LineSplitter } from './lineSplitter';

function split(chunks: (string | Buffer)[], max?: number): { lines: string[]; oversized: number } {
  const lines: string[] = [];
  let oversized = 0;
  const s = new LineSplitter(
    (l) => lines.push(l),
    () => oversized++,
    max,
  );
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  return { lines, oversized };
}

describe('LineSplitter', () => {
  it('joins lines cut across chunks and skips blank ones', () => {
    expect(split(['{"a":', '1}\n\n{"b"', ':2}\n{"c":3']).lines).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('keeps a multi-byte character cut between two chunks', () => {
    const bytes = Buffer.from('{"name":"é"}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(split([bytes.subarray(0, cut), bytes.subarray(cut)]).lines).toEqual(['{"name":"é"}']);
  });

  it('reports an oversized line once and resumes after its newline', () => {
    const r = split(['x'.repeat(40), 'y'.repeat(40), 'z'.repeat(40) + '\n{"ok":1}\n'], 64);
    expect(r).toEqual({ lines: ['{"ok":1}'], oversized: 1 });
  });
});
