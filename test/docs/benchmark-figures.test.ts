/**
 * The README quotes only figures the bench produced: every "<number> ms", "<number> µs" or "<number> M calls/s" in
 * README.md must stand in docs/benchmarks-summary.md, which `npm run bench` writes.
 */
import { readFileSync } from 'node:fs';

const readme = readFileSync('README.md', 'utf8');
const summary = readFileSync('docs/benchmarks-summary.md', 'utf8');
const figures = [...readme.matchAll(/\b\d+(?:\.\d+)?\s?(?:ms|µs|M calls\/s)/g)].map((match) => match[0]);

test('the README has performance figures, each one from the benchmark summary', () => {
  expect(figures.length).toBeGreaterThan(0);
  const missing = figures.filter((figure) => !summary.includes(figure) && !summary.includes(figure.replace(/\s/, '')));
  expect(missing).toEqual([]);
});
