// Micro-benchmark of parseEvent against the built package: `npm run build && node bench/parse-event.cjs`.
// Prints the first-event cost (each event's validator is compiled on first use) and the
// steady rate over every sample envelope, as events per second (median of 5 rounds).
const { parseEvent } = require("../dist/index.js");
const { envelopes } = require("../test/envelopes.json");

const started = process.hrtime.bigint();
for (const envelope of envelopes) {
  if (!parseEvent(envelope).ok) throw new Error(`${envelope.id} does not parse`);
}
const firstPassMs = Number(process.hrtime.bigint() - started) / 1e6;

const rounds = [];
const perRound = 200_000;
for (let round = 0; round < 5; round++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < perRound; i++) {
    parseEvent(envelopes[i % envelopes.length]);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rounds.push(perRound / seconds);
}
rounds.sort((a, b) => a - b);
console.log(`| events | first pass (compiles ${envelopes.length} validators) | steady rate (median of 5 x ${perRound}) |`);
console.log(`| ---: | ---: | ---: |`);
console.log(`| ${envelopes.length} | ${firstPassMs.toFixed(1)} ms | ${Math.round(rounds[2]).toLocaleString("en")} events/s |`);
