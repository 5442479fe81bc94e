#!/usr/bin/env node
// Parses every generated Java source with java-parser: Maven Central (and so javac with the
// jsii runtime and aws-cdk-lib jars) is unreachable here, so a full parse is the check we can run.
const fs = require('fs');
const path = require('path');
const { parse } = require('java-parser');

const root = process.argv[2] || 'dist/java';
function* javaFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* javaFiles(full);
    else if (entry.name.endsWith('.java')) yield full;
  }
}
if (!fs.existsSync(root)) {
  console.error(`no generated Java bindings in ${root}: run package:bindings first`);
  process.exit(1);
}
let count = 0;
const failures = [];
for (const file of javaFiles(root)) {
  count++;
  try {
    parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    failures.push(`${file}: ${e.message.split('\n')[0]}`);
  }
}
if (count === 0) {
  console.error(`no .java files under ${root}`);
  process.exit(1);
}
if (failures.length > 0) {
  console.error(`${failures.length} of ${count} Java files failed to parse:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log(`parsed ${count} Java files under ${root}`);
