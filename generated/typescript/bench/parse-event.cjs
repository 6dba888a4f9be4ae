// Micro-benchmark of parseEvent against the built package: `npm run build && node bench/parse-event.cjs`
// (or `node bench/parse-event.cjs <entry point>`, as bench/cold-start.cjs runs it on another
// commit's package). Prints the first pass over every event (which compiled each validator
// when validators were compiled at first use) and the steady rate over every sample
// envelope, as events per second (median of 5 rounds).
const { parseEvent } = require(process.argv[2] ?? "../dist/cjs/index.js");
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
console.log(`| events | first pass over ${envelopes.length} events | steady rate (median of 5 x ${perRound}) |`);
console.log(`| ---: | ---: | ---: |`);
console.log(`| ${envelopes.length} | ${firstPassMs.toFixed(1)} ms | ${Math.round(rounds[2]).toLocaleString("en")} events/s |`);
