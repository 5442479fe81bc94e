// Writes the reference architecture diagram into README.md between the diagram markers.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildReferenceApp } from './app';
import { mermaidDiagram } from './diagram';

export const README = path.join(__dirname, '..', '..', 'README.md');
const START = '<!-- diagram:start -->';
const END = '<!-- diagram:end -->';

/** The README's diagram block for the reference app as it synthesizes now. */
export function currentDiagramBlock(): string {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-')) });
  buildReferenceApp(app);
  const assembly = app.synth();
  return `${START}\n\`\`\`mermaid\n${mermaidDiagram(app, assembly)}\n\`\`\`\n${END}`;
}

/** The diagram block the README holds now. */
export function readmeDiagramBlock(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} block`);
  return readme.slice(start, end + END.length);
}

if (require.main === module) {
  const readme = fs.readFileSync(README, 'utf-8');
  fs.writeFileSync(README, readme.replace(readmeDiagramBlock(readme), currentDiagramBlock()));
  console.log('README.md: reference architecture diagram updated');
}
