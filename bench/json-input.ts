// The strict input reader (contract/json-input.ts) against JSON.parse of the decoded text, on typical
// decision inputs (~1.2 KB, 64 variants) and on one ~1 MB input. CPU time of this process (so other
// load on the machine counts less), the best of several rounds; prints a markdown table with ratios.
//
//   node dist/bench/json-input.js [--rounds N]

import { readJsonInput } from "../contract/json-input.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** An agent's action as a host would send it: ids, enums, a few lists, nested records, some non-ASCII. */
function typicalInput(i: number): unknown {
  const history = Array.from({ length: 6 }, (_, k) => ({
    step: k,
    tool: "http_get",
    ok: k % 2 === 0,
    url: `https://api.example.com/v2/items/${k}`,
  }));
  return {
    agent: {
      id: `advisor_${i.toString(16).padStart(8, "0")}`,
      type: "strategic_advisor",
      clearance: "enterprise",
      capabilities: ["market_analysis", "trend_prediction", "report_writing", "data_access"],
    },
    action: {
      type: "api_call",
      method: "POST",
      path: "/api/v1/execute",
      target: "customer-db.prod.internal",
      amount: 1250.75,
      tags: ["finance", "quarterly", "external"],
      destination: { region: "eu-west-1", host: "reports.example.com", port: 443 },
    },
    telemetry: { api_calls_per_minute: 1000, error_rate: 0.0125, latency_ms: [12, 15, 11, 40, 13], tokens: 48213 },
    context: {
      session: "s-7d1c2a9e-44f1-4b0b-9f3e-0c6d7f1a2b3c",
      user: "alice@example.com",
      note: "Quarterly réport — für Kunden ✓",
      history,
    },
  };
}

function cpuMicrosPerCall(read: (bytes: Uint8Array) => unknown, inputs: Uint8Array[], calls: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) read(inputs[i % inputs.length]!);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

const jsonParse = (bytes: Uint8Array): unknown => JSON.parse(decoder.decode(bytes));
const strictRead = (bytes: Uint8Array): unknown => {
  const read = readJsonInput(bytes);
  if (!read.ok) throw new Error(read.error);
  return read.value;
};

function main(): void {
  const roundsFlag = process.argv.indexOf("--rounds");
  const rounds = roundsFlag > 0 ? Number(process.argv[roundsFlag + 1]) : 12;
  const typical = Array.from({ length: 64 }, (_, i) => encoder.encode(JSON.stringify(typicalInput(i))));
  const large = encoder.encode(JSON.stringify({ items: Array.from({ length: 1000 }, (_, i) => typicalInput(i)) }));
  const cases = [
    { name: `typical (${typical[0]!.length} B)`, inputs: typical, calls: 20_000, unit: "µs", scale: 1 },
    { name: `large (${(large.length / 1e6).toFixed(2)} MB)`, inputs: [large], calls: 8, unit: "ms", scale: 1000 },
  ];
  console.log("| input | JSON.parse(decode) | readJsonInput | ratio |\n|---|---|---|---|");
  for (const c of cases) {
    let parse = Infinity;
    let strict = Infinity;
    for (let r = 0; r < rounds; r++) {
      parse = Math.min(parse, cpuMicrosPerCall(jsonParse, c.inputs, c.calls));
      strict = Math.min(strict, cpuMicrosPerCall(strictRead, c.inputs, c.calls));
    }
    const show = (micros: number): string => `${(micros / c.scale).toFixed(2)} ${c.unit}`;
    console.log(`| ${c.name} | ${show(parse)} | ${show(strict)} | ${(strict / parse).toFixed(2)}× |`);
  }
}

main();
