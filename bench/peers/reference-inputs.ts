// Realistic decision inputs for the reference constitution (constitution/musgo.constitution):
// permits, denies by each article, advisories, and invalid documents. The benchmarks rotate through
// them; the tests hold every engine to the interpreter's verdict on each.

const advisor = {
  id: "advisor_7f2a9c1b",
  type: "strategic_advisor",
  clearance: "enterprise",
  capabilities: ["market_analysis", "trend_prediction"],
};
const analyst = {
  id: "analyst_03",
  type: "data_analyst",
  clearance: "confidential",
  capabilities: ["market_analysis"],
};
const executor = { id: "exec_01", type: "code_executor", clearance: "internal", capabilities: [] };
const treasurer = { id: "treasury_bot", type: "data_analyst", clearance: "secret", capabilities: ["payments"] };
const junior = {
  id: "junior_payments",
  type: "code_executor",
  clearance: "internal",
  capabilities: ["payments", "trend_prediction"],
};

export const REFERENCE_INPUTS: readonly { name: string; input: unknown }[] = [
  {
    name: "execute api (permit)",
    input: { agent: executor, action: { type: "invoke", method: "POST", path: "/api/v1/execute" } },
  },
  {
    name: "read public data with justification (permit)",
    input: {
      agent: analyst,
      action: { type: "data_request", target: "market_prices", justification: "weekly report" },
    },
  },
  {
    name: "read without justification (permit + advisory)",
    input: { agent: analyst, action: { type: "data_request", target: "market_prices" } },
  },
  {
    name: "write report (permit)",
    input: {
      agent: advisor,
      action: { type: "write_report", target: "q3_outlook" },
      output: { text: "Markets look stable." },
    },
  },
  {
    name: "small transfer (permit)",
    input: { agent: junior, action: { type: "transfer", amount: 2500, target: "vendor_17" } },
  },
  {
    name: "large transfer with clearance (permit)",
    input: { agent: treasurer, action: { type: "transfer", amount: 250000, target: "vendor_9" } },
  },
  {
    name: "classified read (deny, suspend)",
    input: {
      agent: advisor,
      action: { type: "data_request", target: "classified_financials", justification: "market_analysis" },
    },
  },
  {
    name: "classified read, no justification (deny + advisory)",
    input: { agent: executor, action: { type: "data_request", target: "hr_records" } },
  },
  {
    name: "classified read with clearance (permit)",
    input: { agent: treasurer, action: { type: "data_request", target: "board_minutes", justification: "audit" } },
  },
  {
    name: "api flood (deny, quarantine)",
    input: {
      agent: advisor,
      action: { type: "api_call", method: "POST", path: "/api/v1/execute" },
      telemetry: { api_calls_per_minute: 1000 },
    },
  },
  {
    name: "big transfer without clearance (deny, throttle)",
    input: { agent: junior, action: { type: "transfer", amount: 20000.5, target: "offshore_1" } },
  },
  {
    name: "private key in output (deny, rollback)",
    input: {
      agent: advisor,
      action: { type: "write_report" },
      output: { text: "here: -----BEGIN RSA PRIVATE KEY-----\nMIIE..." },
    },
  },
  {
    name: "aws key in output (deny, rollback)",
    input: {
      agent: executor,
      action: { type: "invoke", method: "POST", path: "/api/v1/execute" },
      output: { text: "creds AKIAIOSFODNN7EXAMPLE ok" },
    },
  },
  {
    name: "several violations (most severe wins)",
    input: {
      agent: junior,
      action: { type: "transfer", amount: 50000 },
      telemetry: { api_calls_per_minute: 500 },
      output: { text: "ASIA1234567890ABCDEF" },
    },
  },
  {
    name: "unknown action (default deny)",
    input: { agent: executor, action: { type: "delete_logs", target: "audit" } },
  },
  {
    name: "GET on execute path (default deny)",
    input: {
      agent: executor,
      action: { type: "invoke", method: "GET", path: "/api/v1/execute" },
      telemetry: { api_calls_per_minute: 12 },
    },
  },
  {
    name: "unknown clearance (invalid)",
    input: { agent: { ...advisor, clearance: "cosmic" }, action: { type: "data_request" } },
  },
  { name: "missing action (invalid)", input: { agent: executor } },
  {
    name: "capabilities not an array (invalid)",
    input: { agent: { ...analyst, capabilities: "market_analysis" }, action: { type: "data_request" } },
  },
  { name: "amount is a string (invalid)", input: { agent: junior, action: { type: "transfer", amount: "20000" } } },
];
