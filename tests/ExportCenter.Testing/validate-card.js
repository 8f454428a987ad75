// Validates Adaptive Card JSON (read from stdin) with the adaptivecards renderer's own parser, the one
// Web Chat bundles, at schema 1.5 (Teams' limit). Prints a JSON array of problems; empty means valid.
'use strict';
const path = require('path');
const fs = require('fs');

function findPackage(start) {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'adaptivecards', 'dist', 'adaptivecards.js');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error('node_modules/adaptivecards not found: run npm ci');
  }
}

const AC = require(findPackage(__dirname));
const json = JSON.parse(fs.readFileSync(0, 'utf8'));
const context = new AC.SerializationContext();
context.targetVersion = AC.Versions.v1_5;
const card = new AC.AdaptiveCard();
card.parse(json, context);
const problems = [];
for (let i = 0; i < context.eventCount; i++) {
  const e = context.getEventAt(i);
  problems.push({ phase: e.phase, event: AC.ValidationEvent[e.event], message: e.message });
}
for (const e of card.validateProperties().validationEvents) {
  problems.push({ phase: 'validate', event: AC.ValidationEvent[e.event], message: e.message });
}
process.stdout.write(JSON.stringify(problems));
