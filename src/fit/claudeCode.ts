/**
 * The token side of a scenario from Claude Code's own logs (~/.claude/projects/<project>/*.jsonl).
 *
 * Each assistant line carries `message.usage` of the API request that produced it:
 * input_tokens (new, not cached), cache_creation_input_tokens (written to the cache, split by
 * lifetime in cache_creation.ephemeral_5m_input_tokens / ephemeral_1h_input_tokens) and
 * cache_read_input_tokens; the whole input X is their sum. One request streams several lines
 * (one per content block) with the same requestId: each request counts once, with the usage of
 * its line with the most output tokens (the last one written, normally). Lines of the model
 * "<synthetic>" are Claude Code's own, not requests.
 *
 * A conversation is one session's main chain, or one subagent's sidechain. Mapped onto the model:
 * a conversation's first request plays the generation (its input is L0, its output G0), every
 * later one a fix attempt (its output is G); between consecutive later requests
 * E = X(later) - X(earlier) - output(earlier), the growth that is not the model's own output
 * (tool results, user turns). A negative growth is a restart (/compact, /clear) and gives no E.
 *
 * Caching: shares of the whole input read from the cache, written to it and not cached, and the
 * share of writes kept one hour. The scenario's multipliers are Anthropic's list ratios to the
 * input price (reads 0.1x, 5-minute writes 1.25x, 1-hour writes 2x), the writes weighted by the
 * logged split.
 */
import { NOT_PRINTED, UserError } from "../errors.js";
import { groupDigits, listed, shownJson } from "../text.js";
import { RANGES } from "../scenario/bounds.js";
import { parseScenario } from "../scenario/load.js";
import { FEW_RUNS, percentileInterval, resampleWeights, type Interval } from "./bootstrap.js";
import { weightedRatio } from "./estimate.js";
import { summarizeTokens, tokenValue, type TokenSummary } from "./tokens.js";
import { LineError, MAX_REQUEST_TOKENS, isLogTokens, namedFiles, parseJsonLine, readLogText, shownValue } from "./files.js";

/** Anthropic's cache prices as multiples of the input price. */
export const ANTHROPIC_CACHE_MULTIPLIERS = { read: 0.1, write5m: 1.25, write1h: 2 } as const;

/** The longest model id a log may name (real ones are under 64; a test takes 307): fit prints each in a table. */
const MAX_MODEL_ID = 1000;

/** One API request as logged. */
export interface UsageRecord {
  file: string;
  line: number;
  conversation: string;
  /** the line's `timestamp` in ms since the epoch, or null where it has none (or none Date reads) */
  time: number | null;
  model: string;
  /** new input, cache writes (5-minute, 1-hour, unsplit) and cache reads, in tokens */
  uncached: number;
  write5m: number;
  write1h: number;
  writeUnsplit: number;
  read: number;
  output: number;
}

/** X: the whole input of a request. */
export const wholeInput = (r: UsageRecord) => r.uncached + r.write5m + r.write1h + r.writeUnsplit + r.read;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The request logged on one line, or null when the line is not an API request. */
export function parseUsageLine(text: string, file: string, line: number): (UsageRecord & { requestKey: string | null }) | null {
  const fail = (problem: string): never => {
    throw new LineError(file, line, problem);
  };
  const data = parseJsonLine(text, file, line);
  if (!isObject(data) || data.type !== "assistant" || !isObject(data.message) || data.message.usage === undefined) return null;
  const message = data.message;
  if (message.model === "<synthetic>") return null;
  if (typeof message.model !== "string") fail(`message.model: must be a string, got ${shownValue(message.model)}`);
  // the model's id is printed in fit's table of models
  if ((message.model as string).length > MAX_MODEL_ID) {
    fail(`message.model: must be a model id of at most ${groupDigits(MAX_MODEL_ID)} characters, got ${shownJson(message.model)}`);
  }
  if (message.model === "" || (message.model as string).search(NOT_PRINTED) >= 0) {
    fail(`message.model: must be a model id without control or formatting characters or half a surrogate pair, got ${shownJson(message.model)}`);
  }
  if (!isObject(message.usage)) return fail(`message.usage: must be an object`);
  const usage = message.usage;
  const tokens = (obj: Record<string, unknown>, key: string, path: string, optional: boolean): number => {
    const v = obj[key];
    if (v === undefined || v === null) return optional ? 0 : fail(`${path}.${key}: missing`);
    // the API counts whole tokens (a fraction of one, 1e-300, made a fragment no scenario takes)
    if (!isLogTokens(v) || !Number.isInteger(v)) fail(`${path}.${key}: must be a whole number of tokens from 0 to ${groupDigits(MAX_REQUEST_TOKENS)}, got ${shownValue(v)}`);
    return v as number;
  };
  const writes = tokens(usage, "cache_creation_input_tokens", "message.usage", true);
  let write5m = 0;
  let write1h = 0;
  if (isObject(usage.cache_creation)) {
    write5m = tokens(usage.cache_creation, "ephemeral_5m_input_tokens", "message.usage.cache_creation", true);
    write1h = tokens(usage.cache_creation, "ephemeral_1h_input_tokens", "message.usage.cache_creation", true);
    if (write5m + write1h > writes) fail(`message.usage.cache_creation: 5-minute and 1-hour writes (${write5m + write1h}) exceed cache_creation_input_tokens (${writes})`);
  }
  const sidechain = data.isSidechain === true ? `sidechain ${String(data.agentId ?? "")}` : "main";
  const requestKey = typeof data.requestId === "string" ? data.requestId : typeof message.id === "string" ? message.id : null;
  return {
    file,
    line,
    conversation: JSON.stringify([file, String(data.sessionId ?? ""), sidechain]),
    time: typeof data.timestamp === "string" && Number.isFinite(Date.parse(data.timestamp)) ? Date.parse(data.timestamp) : null,
    model: message.model as string,
    uncached: tokens(usage, "input_tokens", "message.usage", false),
    write5m,
    write1h,
    writeUnsplit: writes - write5m - write1h,
    read: tokens(usage, "cache_read_input_tokens", "message.usage", true),
    output: tokens(usage, "output_tokens", "message.usage", false),
    requestKey,
  };
}

/**
 * Every request of the files once, in file order, grouped by conversation in order of first
 * appearance. A request logged on several lines keeps its first line's place and the usage of its
 * line with the most output tokens.
 */
export function readUsageLogs(files: string[]): UsageRecord[][] {
  const byKey = new Map<string, UsageRecord>();
  const order: UsageRecord[] = [];
  for (const file of files) {
    readLogText(file).split("\n").forEach((raw, i) => {
      if (raw.trim() === "") return;
      const parsed = parseUsageLine(raw, file, i + 1);
      if (!parsed) return;
      const { requestKey, ...record } = parsed;
      const seen = requestKey === null ? undefined : byKey.get(requestKey);
      if (!seen) {
        order.push(record);
        if (requestKey !== null) byKey.set(requestKey, record);
      } else if (record.output >= seen.output) {
        Object.assign(seen, { ...record, file: seen.file, line: seen.line, conversation: seen.conversation, time: seen.time });
      }
    });
  }
  if (order.length === 0) throw new UserError(`${namedFiles(files)}: no assistant requests with message.usage (is this a Claude Code log?)`);
  const conversations = new Map<string, UsageRecord[]>();
  const lastTimed = new Map<string, UsageRecord>(); // per conversation, its latest request with a timestamp
  for (const r of order) {
    const list = conversations.get(r.conversation) ?? [];
    checkOrder(lastTimed.get(r.conversation), r);
    if (r.time !== null) lastTimed.set(r.conversation, r);
    list.push(r);
    conversations.set(r.conversation, list);
  }
  return [...conversations.values()];
}

/**
 * A conversation's requests are taken in file order (Claude Code appends them as they are made),
 * which the token sizes depend on: a reordered file gave a wrong prompt and error trace with no
 * warning. A request logged earlier than the conversation's latest timed one before it (`before`)
 * is a one-line error.
 */
function checkOrder(before: UsageRecord | undefined, next: UsageRecord): void {
  if (next.time === null || !before || next.time >= before.time!) return;
  throw new LineError(
    next.file,
    next.line,
    `timestamp ${new Date(next.time).toISOString()} is before line ${before.line}'s (${new Date(before.time!).toISOString()}) ` +
      `in the same conversation: the log's requests are out of order, and its token sizes would be wrong`,
  );
}

/** Per-conversation sums that the estimates are ratios of. One declaration for all of them. */
const CONVERSATION_COLUMNS = [
  "prompt", "generation", "fixOutputSum", "fixOutputCount", "errorTraceSum", "errorTraceCount",
  "uncached", "write5m", "write1h", "writeUnsplit", "read", "input",
] as const;
type ConversationColumn = (typeof CONVERSATION_COLUMNS)[number];

interface ConversationTokens {
  fixOutputs: number[];
  errorTraces: number[];
  restarts: number;
}

/** The fix-phase token sizes of one conversation (see the module comment). */
export function conversationTokens(requests: UsageRecord[]): ConversationTokens {
  const later = requests.slice(1);
  const errorTraces: number[] = [];
  let restarts = 0;
  for (let i = 1; i < later.length; i++) {
    const e = wholeInput(later[i]!) - wholeInput(later[i - 1]!) - later[i - 1]!.output;
    if (e < 0) restarts++;
    else errorTraces.push(e);
  }
  return { fixOutputs: later.map((r) => r.output), errorTraces, restarts };
}

/** An estimate with its interval, by a name (a scenario key where there is one). */
export interface Estimate {
  key: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  stdError: number | null;
}

/** Each estimate as a ratio of column sums under conversation weights. */
const ESTIMATES: { key: string; num: ConversationColumn[]; den: ConversationColumn[] | null }[] = [
  { key: "tokens.prompt", num: ["prompt"], den: null },
  { key: "tokens.generation", num: ["generation"], den: null },
  { key: "tokens.fixOutput", num: ["fixOutputSum"], den: ["fixOutputCount"] },
  { key: "tokens.errorTrace", num: ["errorTraceSum"], den: ["errorTraceCount"] },
  { key: "cacheReadShare", num: ["read"], den: ["input"] },
  { key: "cacheWriteShare", num: ["write5m", "write1h", "writeUnsplit"], den: ["input"] },
  { key: "uncachedShare", num: ["uncached"], den: ["input"] },
  { key: "oneHourWriteShare", num: ["write1h"], den: ["write5m", "write1h"] },
];

export interface ClaudeCodeReport {
  files: number;
  requests: number;
  conversations: number;
  /** requests and mean output per model */
  models: { model: string; requests: number; meanOutput: number }[];
  /** input restarts (negative growth) between consecutive requests */
  restarts: number;
  estimates: Estimate[];
  tokens: Record<"fixOutput" | "errorTrace", TokenSummary | null>;
  bootstrap: { replicates: number; seed: string; method: "percentile" } | null;
  /** the tokens and caching sections of a scenario */
  fragment: { tokens: Record<string, unknown>; caching: Record<string, unknown> };
  notes: string[];
}

/** The write multiplier for a share h of 1-hour writes: 1.25 (1 - h) + 2 h. */
export function writeMultiplier(oneHourShare: number): number {
  return ANTHROPIC_CACHE_MULTIPLIERS.write5m * (1 - oneHourShare) + ANTHROPIC_CACHE_MULTIPLIERS.write1h * oneHourShare;
}

/** Fit the token side from conversations, with a bootstrap over conversations (in this thread: ratios of sums are cheap). */
export function fitClaudeCode(conversations: UsageRecord[][], files: number, options: { bootstrap: number; seed: string }): ClaudeCodeReport {
  const n = conversations.length;
  const columns = Object.fromEntries(CONVERSATION_COLUMNS.map((c) => [c, new Float64Array(n)])) as Record<ConversationColumn, Float64Array>;
  const perConversation = conversations.map(conversationTokens);
  conversations.forEach((requests, i) => {
    const t = perConversation[i]!;
    columns.prompt[i] = wholeInput(requests[0]!);
    columns.generation[i] = requests[0]!.output;
    columns.fixOutputSum[i] = t.fixOutputs.reduce((a, b) => a + b, 0);
    columns.fixOutputCount[i] = t.fixOutputs.length;
    columns.errorTraceSum[i] = t.errorTraces.reduce((a, b) => a + b, 0);
    columns.errorTraceCount[i] = t.errorTraces.length;
    for (const r of requests) {
      columns.uncached[i] += r.uncached;
      columns.write5m[i] += r.write5m;
      columns.write1h[i] += r.write1h;
      columns.writeUnsplit[i] += r.writeUnsplit;
      columns.read[i] += r.read;
      columns.input[i] += wholeInput(r);
    }
  });
  const sumOf = (cols: ConversationColumn[]) => {
    const out = new Float64Array(n);
    for (const c of cols) for (let i = 0; i < n; i++) out[i] += columns[c][i]!;
    return out;
  };
  const ratios = ESTIMATES.map((e) => ({ num: sumOf(e.num), den: e.den ? sumOf(e.den) : null }));
  const evaluate = (w: Float64Array) => ratios.map((r) => weightedRatio(w, r.num, r.den));
  const point = evaluate(new Float64Array(n).fill(1));
  const everyone = [Array.from({ length: n }, (_, i) => [i])]; // one stratum, each conversation a unit
  const replicates = Array.from({ length: options.bootstrap }, (_, b) => evaluate(resampleWeights(everyone, n, options.seed, b)));
  const estimates = ESTIMATES.map(({ key }, j): Estimate => {
    const interval: Interval | null = point[j] === null || replicates.length === 0 ? null : percentileInterval(replicates.map((r) => r[j]!));
    return { key, value: point[j]!, ciLow: interval?.ciLow ?? null, ciHigh: interval?.ciHigh ?? null, stdError: interval?.stdError ?? null };
  });
  const value = (key: string) => estimates.find((e) => e.key === key)!.value;
  // the write multiplier is increasing in the 1-hour share, so its interval maps through
  const oneHourEstimate = estimates.find((e) => e.key === "oneHourWriteShare")!;
  const mapped = (x: number | null) => (x === null ? null : writeMultiplier(x));
  estimates.push({
    key: "caching.writeMultiplier",
    value: writeMultiplier(oneHourEstimate.value ?? 0),
    ciLow: oneHourEstimate.value === null ? null : mapped(oneHourEstimate.ciLow),
    ciHigh: oneHourEstimate.value === null ? null : mapped(oneHourEstimate.ciHigh),
    stdError: oneHourEstimate.stdError === null ? null : oneHourEstimate.stdError * (ANTHROPIC_CACHE_MULTIPLIERS.write1h - ANTHROPIC_CACHE_MULTIPLIERS.write5m),
  });

  const all = conversations.flat();
  const models = [...new Set(all.map((r) => r.model))].map((model) => {
    const mine = all.filter((r) => r.model === model);
    return { model, requests: mine.length, meanOutput: mine.reduce((a, r) => a + r.output, 0) / mine.length };
  });
  const tokens = {
    fixOutput: summarizeTokens(perConversation.flatMap((t) => t.fixOutputs)),
    errorTrace: summarizeTokens(perConversation.flatMap((t) => t.errorTraces)),
  };
  const notes: string[] = [];
  const oneHour = value("oneHourWriteShare");
  const caching: Record<string, unknown> = {
    readMultiplier: ANTHROPIC_CACHE_MULTIPLIERS.read,
    writeMultiplier: value("caching.writeMultiplier"),
  };
  if (oneHour !== null && oneHour > 0.5) {
    caching.ttlSeconds = 3600;
    notes.push("most cache writes are 1-hour writes: caching.ttlSeconds is 3600, so that a price preset takes its 1-hour write price");
  }
  if (oneHour === null) notes.push("no cache writes split by lifetime: caching.writeMultiplier assumes 5-minute writes");
  const fragmentTokens: Record<string, unknown> = {};
  for (const key of ["prompt", "generation", "fixOutput", "errorTrace"] as const) {
    const v = value(`tokens.${key}`);
    if (v === null) {
      notes.push(`tokens.${key}: not identified: ${key === "errorTrace" ? "no conversation has three requests" : "no conversation has two requests"}`);
      continue;
    }
    const summary = key === "fixOutput" || key === "errorTrace" ? tokens[key] : null;
    fragmentTokens[key] = summary ? tokenValue(summary, v) : v;
    // a log's request may hold 1e9 tokens, a scenario's 1e7: the fragment was written, and no scenario took it
    const written = fragmentTokens[key] as number | { values: number[] };
    const most = typeof written === "number" ? written : Math.max(...written.values);
    if (most > RANGES.tokens.max) {
      throw new UserError(
        `tokens.${key}: the logs give ${groupDigits(Math.round(most))} tokens${typeof written === "number" ? "" : " (their largest)"}, ` +
          `more than the ${groupDigits(RANGES.tokens.max)} a scenario's request may hold: these are no coding agent's requests`,
      );
    }
  }
  const restarts = perConversation.reduce((a, t) => a + t.restarts, 0);
  if (restarts) {
    const times = restarts === 1 ? "once" : `${restarts} times`;
    notes.push(`the input shrank between consecutive requests ${times} (a /compact or /clear): no error trace there`);
  }
  // as for traces (the fit audit: 3 conversations, intervals on 2 values, no word)
  if (replicates.length > 0 && n < FEW_RUNS) {
    notes.push(`${groupDigits(n)} conversation${n === 1 ? "" : "s"}; a bootstrap over fewer than ${FEW_RUNS} understates the uncertainty, so the intervals are too narrow`);
  }
  return {
    files,
    requests: all.length,
    conversations: n,
    models,
    restarts,
    estimates,
    tokens,
    bootstrap: options.bootstrap > 0 ? { replicates: options.bootstrap, seed: options.seed, method: "percentile" } : null,
    fragment: { tokens: fragmentTokens, caching },
    notes,
  };
}

/**
 * The fragment merged into a prices scenario: its tokens keys and caching multipliers replaced
 * (ttlSeconds set or removed by the logs), validated as a whole scenario. A model priced by a
 * preset (the table's cache write price) or with its own `cacheWrite` does not take the
 * multiplier: a note names such models.
 */
export function mergeFragment(
  prices: { file: string; raw: Record<string, unknown> },
  fragment: ClaudeCodeReport["fragment"],
): { merged: Record<string, unknown>; notes: string[] } {
  const { sweep: _sweep, ...raw } = structuredClone(prices.raw);
  const tokens = { ...((raw.tokens as Record<string, unknown>) ?? {}), ...fragment.tokens };
  const { ttlSeconds: _ttl, ...caching } = (raw.caching as Record<string, unknown>) ?? {};
  const merged = { ...raw, name: `${String(raw.name ?? "scenario")}-fitted`, tokens, caching: { ...caching, ...fragment.caching } };
  const scenario = parseScenario(merged, `the scenario fitted from the logs with ${prices.file}'s prices`);
  const models = Object.entries(raw.models as Record<string, { price: Record<string, unknown> }>);
  const presets = models.filter(([, m]) => m.price.preset !== undefined).map(([name]) => `models.${name}`);
  const own = models.filter(([, m]) => m.price.cacheWrite !== undefined).map(([name]) => `models.${name}`);
  const multiplier = +Number(fragment.caching.writeMultiplier).toFixed(3);
  const notes = [
    ...(presets.length === 0 ? [] : [
      `${listed(presets)} ${presets.length === 1 ? "is priced by a preset, which takes" : "are priced by presets, which take"} the price ` +
        `table's cache write price (its ${(scenario.caching.ttlSeconds ?? 0) > 300 ? "1-hour" : "5-minute"} one here), not the measured caching.writeMultiplier ${multiplier}`,
    ]),
    ...(own.length === 0 ? [] : [
      `${listed(own)} ${own.length === 1 ? "gives its own" : "give their own"} price.cacheWrite, which the measured caching.writeMultiplier ${multiplier} does not change`,
    ]),
  ];
  return { merged, notes };
}
