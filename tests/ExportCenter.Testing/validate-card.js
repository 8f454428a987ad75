// Validates Adaptive Card JSON with the adaptivecards renderer's own parser, the one Web Chat bundles, at schema
// 1.5 (Teams' limit). One process serves a whole test run (AdaptiveCardValidator starts it): every line on stdin is
// one card as JSON on a single line, and every line on stdout answers one card, in order, with
// {"problems": [...]} (an empty list means valid) or {"error": "..."} when the line could not be validated.
// The process ends when stdin closes.
'use strict';
const path = require('path');
const fs = require('fs');
const readline = require('readline');

function findPackage(start) {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'adaptivecards', 'dist', 'adaptivecards.js');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error('node_modules/adaptivecards not found: run npm ci');
  }
}

const AC = require(findPackage(__dirname));

// adaptivecards declares some property patterns as global (/g) regular expressions, and exec() on those carries
// lastIndex over from one card to the next: in a process that parses many cards, every other card would fail the
// pattern ("Invalid value "sv" for property "lang""). Each card starts from lastIndex 0, as in a fresh process.
const globalPatterns = [];
for (const exported of Object.values(AC)) {
  if (typeof exported !== 'function') continue;
  for (const key of Object.getOwnPropertyNames(exported)) {
    const value = Object.getOwnPropertyDescriptor(exported, key).value;
    if (value instanceof AC.PropertyDefinition && value.regEx instanceof RegExp && value.regEx.global) {
      globalPatterns.push(value.regEx);
    }
  }
}

function problemsOf(json) {
  for (const pattern of globalPatterns) pattern.lastIndex = 0;
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
  return problems;
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  let answer;
  try {
    answer = { problems: problemsOf(JSON.parse(line)) };
  } catch (e) {
    answer = { error: String((e && e.stack) || e) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
lines.on('close', () => process.exit(0));
