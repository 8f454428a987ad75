// Renders markdown the way Web Chat 4.18 does (its renderMarkdown: markdown-it with linkify, typographer and HTML
// on), so tests can see what an advisor sees of a text on the local advisors' page: stdin is a JSON array of
// markdown strings, stdout the JSON array of their HTML, in order.
'use strict';
const path = require('path');
const fs = require('fs');

function findPackage(start) {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'markdown-it');
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('node_modules/markdown-it not found: run npm ci');
  }
}

const MarkdownIt = require(findPackage(__dirname));
// The options of botframework-webchat/lib/markdown/renderMarkdown.js.
const markdown = new MarkdownIt({ breaks: false, html: true, linkify: true, typographer: true, xhtmlOut: true });

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const texts = JSON.parse(input);
  process.stdout.write(JSON.stringify(texts.map((text) => markdown.render(text))));
});
