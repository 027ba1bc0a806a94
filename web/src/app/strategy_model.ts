// The strategy screen's logic, kept out of React so it is tested alone: the
// timeline's extent, what each stage does in words, edits from the forms
// (always on a copy), where a JSON Pointer sits in the raw JSON, and the
// simulation folded into messages per channel per day.

// A strategy as the API sends it (`cartera policy export`): the schema types
// only the top level, so the stages are read defensively.
export interface StrategyAction {
  type?: string;
  channel?: string;
  fallback?: string[];
  template?: string;
  tone?: string;
  conditions?: Record<string, unknown>;
  escalate_to?: string;
  attach_statement?: boolean;
  [key: string]: unknown;
}
export interface StrategyStage {
  key: string;
  day?: number;
  actions: StrategyAction[];
  conditions?: Record<string, unknown>;
  [key: string]: unknown;
}
export interface StrategyDoc {
  name: string;
  description?: string;
  stage_driver?: 'oldest_invoice' | 'largest_invoice';
  promise_grace_days?: number;
  segments?: Record<string, unknown>;
  stages: StrategyStage[];
  broken_promise?: Record<string, unknown>;
  [key: string]: unknown;
}

export const CHANNELS = ['email', 'sms', 'whatsapp', 'call', 'letter', 'best'] as const;
export const TONES = ['cordial', 'firm', 'formal'] as const;

export function stagesWithDay(doc: StrategyDoc): (StrategyStage & { day: number; index: number })[] {
  return (doc.stages ?? [])
    .map((stage, index) => ({ ...stage, index }))
    .filter((stage): stage is StrategyStage & { day: number; index: number } => typeof stage.day === 'number' && Number.isFinite(stage.day))
    .sort((a, b) => a.day - b.day || a.index - b.index);
}

// The axis: from the earliest to the latest offset, always showing the due
// date (day 0), with a little room on both sides.
export function timelineExtent(doc: StrategyDoc): { min: number; max: number } {
  const days = stagesWithDay(doc).map((s) => s.day);
  let min = Math.min(0, ...days);
  let max = Math.max(0, ...days);
  if (min === max) {
    min -= 1;
    max += 1;
  }
  return { min, max };
}

// Nice tick days for the axis: multiples of a step that gives ~8 ticks, plus 0.
export function timelineTicks(min: number, max: number, target = 8): number[] {
  const span = max - min;
  const steps = [1, 2, 5, 7, 10, 15, 30, 60, 90, 180, 365];
  const step = steps.find((s) => span / s <= target) ?? Math.ceil(span / target);
  const ticks = new Set<number>([0]);
  for (let d = Math.ceil(min / step) * step; d <= max; d += step) ticks.add(d);
  return [...ticks].sort((a, b) => a - b);
}

// "+7", "-1", "0": a stage's day relative to the due date.
export function signedDay(day: number): string {
  return day > 0 ? `+${day}` : String(day);
}

// Conditions as short "name: a, b" pieces (segments, size segments, ...).
export function conditionText(conditions: Record<string, unknown> | undefined): string[] {
  if (!conditions) return [];
  return Object.entries(conditions).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`);
}

// The channels a stage may use (its actions' channels and fallbacks), in order.
export function stageChannels(stage: StrategyStage): string[] {
  const out: string[] = [];
  for (const action of stage.actions ?? []) {
    for (const channel of [action.channel, ...(action.fallback ?? [])]) {
      if (channel && !out.includes(channel)) out.push(channel);
    }
  }
  return out;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

// A copy with one top-level field set; undefined or '' removes an optional one.
export function withField(doc: StrategyDoc, field: string, value: unknown): StrategyDoc {
  const next = clone(doc);
  if (value === undefined || (value === '' && field !== 'name')) delete next[field];
  else next[field] = value;
  return next;
}

export function withStageField(doc: StrategyDoc, stageIndex: number, field: string, value: unknown): StrategyDoc {
  const next = clone(doc);
  const stage = next.stages[stageIndex];
  if (!stage) return next;
  if (value === undefined || value === '') delete stage[field];
  else stage[field] = value;
  return next;
}

export function withActionField(doc: StrategyDoc, stageIndex: number, actionIndex: number, field: string, value: unknown): StrategyDoc {
  const next = clone(doc);
  const action = next.stages[stageIndex]?.actions?.[actionIndex];
  if (!action) return next;
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete action[field];
  else action[field] = value;
  return next;
}

// "whatsapp, sms" → ['whatsapp', 'sms'].
export function parseList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

// A day offset typed in a form: an integer, or the text itself so the
// server's validation names the problem (never silently dropped).
export function parseDay(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export function prettyJson(doc: unknown): string {
  return JSON.stringify(doc, null, 2);
}

// Parses the raw JSON a person typed: the document, or the parser's message.
export function parseStrategyJson(text: string): { doc?: StrategyDoc; error?: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'not an object' };
    return { doc: value as StrategyDoc };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

// The 1-based line of prettyJson(doc) where the JSON Pointer's value starts;
// a pointer to a member that does not exist (an unknown field already there,
// or a missing required one) falls back to its parent's line.
export function pointerLine(doc: unknown, pointer: string): number {
  const tokens = pointer === '' ? [] : pointer.replace(/^\//, '').split('/').map(unescapePointer);
  const marker = '\u0000cartera-pointer\u0000';
  for (let depth = tokens.length; depth >= 0; depth--) {
    const copy = clone(doc) as unknown;
    if (depth === 0) return 1;
    let parent: unknown = copy;
    let found = true;
    for (const token of tokens.slice(0, depth - 1)) {
      if (parent && typeof parent === 'object' && token in (parent as object)) parent = (parent as Record<string, unknown>)[token];
      else {
        found = false;
        break;
      }
    }
    const last = tokens[depth - 1];
    if (!found || !parent || typeof parent !== 'object' || !(last in (parent as object))) continue;
    (parent as Record<string, unknown>)[last] = marker;
    const text = prettyJson(copy);
    const at = text.indexOf(JSON.stringify(marker));
    if (at < 0) continue;
    return text.slice(0, at).split('\n').length;
  }
  return 1;
}

// The character range of a 1-based line, for selecting it in a textarea.
export function lineRange(text: string, line: number): [number, number] {
  const lines = text.split('\n');
  let start = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length - 1); i++) start += lines[i].length + 1;
  const length = lines[Math.min(line - 1, lines.length - 1)]?.length ?? 0;
  return [start, start + length];
}

// --- the simulation ---

export interface SimContact {
  day: string;
  channel: string;
  action: string;
  stage: string;
  customer_external_id: string;
}

// YYYY-MM-DD plus n days, in calendar arithmetic (no time zone).
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const value = new Date(Date.UTC(y, m - 1, d + n));
  return value.toISOString().slice(0, 10);
}

export interface SimulationSeries {
  days: string[];
  channels: string[];
  counts: Record<string, number[]>; // channel → contacts per day
  totals: Record<string, number>; // channel → contacts in all
  byStage: Record<string, number>;
  total: number;
  peak: { day: string; count: number } | null;
}

const CHANNEL_ORDER = ['email', 'sms', 'whatsapp', 'call', 'letter'];

// Contacts per channel per local day over [from, from + days).
export function foldSimulation(contacts: SimContact[], from: string, days: number): SimulationSeries {
  const dayList = Array.from({ length: days }, (_, i) => addDays(from, i));
  const index = new Map(dayList.map((day, i) => [day, i]));
  const counts: Record<string, number[]> = {};
  const totals: Record<string, number> = {};
  const byStage: Record<string, number> = {};
  let total = 0;
  for (const contact of contacts) {
    const i = index.get(contact.day);
    if (i === undefined) continue;
    const channel = contact.channel || 'none';
    counts[channel] ??= new Array<number>(days).fill(0);
    counts[channel][i] += 1;
    totals[channel] = (totals[channel] ?? 0) + 1;
    byStage[contact.stage] = (byStage[contact.stage] ?? 0) + 1;
    total += 1;
  }
  const channels = Object.keys(counts).sort((a, b) => {
    const ia = CHANNEL_ORDER.indexOf(a);
    const ib = CHANNEL_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  let peak: SimulationSeries['peak'] = null;
  dayList.forEach((day, i) => {
    const count = channels.reduce((n, c) => n + counts[c][i], 0);
    if (count > 0 && (!peak || count > peak.count)) peak = { day, count };
  });
  return { days: dayList, channels, counts, totals, byStage, total, peak };
}
