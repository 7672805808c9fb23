/**
 * Digests an agent's session transcript into the facts `draft` needs
 * (design.md, "Capture"): files edited, commands run and whether they failed,
 * the user's requests, the session id and cwd.
 *
 * Formats (reference/agents.md; both are internal formats that change
 * between versions, so every field is read tolerantly):
 * - Claude Code JSONL: `{type: "user"|"assistant", sessionId, cwd, message: {content}}`,
 *   `tool_use {id, name, input}` blocks answered by `tool_result {tool_use_id, is_error, content}` blocks.
 * - Codex rollout JSONL: `{timestamp, type, payload}` with `session_meta`, `turn_context`,
 *   `response_item` (`message`, `function_call`, `function_call_output`, `custom_tool_call`,
 *   `local_shell_call`) and `event_msg` (`user_message`, `item_completed`, `patch_apply_end`,
 *   `exec_command_end`); older rollouts wrote the payloads without the envelope.
 * - Anything else: `format: 'unknown'` and the facts a generic walk finds
 *   (tool calls shaped `{name, input|arguments}`, results with `is_error`/`isError`).
 *
 * The file is read as a stream from a byte offset, so a hook re-reads only
 * what the transcript gained since its last run (see `digest-cache.ts`).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InvalidInputError, StoreError } from '../errors.js';
import type { TranscriptCommand, TranscriptDigest, TranscriptFormat } from '../format/schema.js';

// Declared once, as zod schemas in src/format/schema.ts (type-only: no zod at runtime).
export type { TranscriptCommand, TranscriptDigest, TranscriptFormat };

/** Options of `digestTranscript`. */
export interface DigestOptions {
  /** Byte offset to start at (default 0); must be the start of a line, e.g. a previous `endOffset`. */
  fromOffset?: number;
  /** Session cwd known from an earlier read, for paths in a chunk that does not repeat it. */
  cwd?: string | null;
  /** Format known from an earlier read, for a chunk whose lines alone do not tell. */
  format?: TranscriptFormat;
}

/** Longest user request kept, in characters. */
export const MAX_REQUEST_CHARS = 200;
/** Longest command kept, in characters. */
export const MAX_COMMAND_CHARS = 1000;

const NEWLINE = 0x0a;

/**
 * Reads a transcript (JSON lines) from `fromOffset` and digests it.
 * Never throws on content: invalid JSON lines are counted in `badLines` and
 * skipped; an unrecognised format gives `format: 'unknown'`. A last line
 * without a newline is read only when it is a complete JSON object (a writer
 * may be half-way through it).
 * @throws InvalidInputError when `path` is missing or not a file; StoreError when it cannot be read.
 * @example
 * const d = await digestTranscript(hook.transcript_path);
 * d.commands.filter((c) => c.failed); // commands that failed
 * const more = await digestTranscript(hook.transcript_path, { fromOffset: d.endOffset, cwd: d.cwd, format: d.format });
 */
export async function digestTranscript(path: string, options: DigestOptions = {}): Promise<TranscriptDigest> {
  const from = Math.max(0, Math.floor(options.fromOffset ?? 0));
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new InvalidInputError(`transcript ${path} is not a file; pass the .jsonl file itself`);
    size = st.size;
  } catch (e) {
    if (e instanceof InvalidInputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InvalidInputError(`transcript ${path} does not exist; check --transcript`);
    throw new StoreError(`cannot read transcript ${path}: ${(e as Error).message}`, { cause: e });
  }
  const digester = new Digester(options.format ?? null, options.cwd ?? null);
  let consumed = from;
  if (from < size) {
    let carry: Buffer = Buffer.alloc(0);
    let carryStart = from;
    try {
      for await (const chunk of createReadStream(path, { start: from, end: size - 1, highWaterMark: 1 << 20 })) {
        const buf: Buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
        let lineStart = 0;
        for (let nl = buf.indexOf(NEWLINE); nl !== -1; nl = buf.indexOf(NEWLINE, lineStart)) {
          digester.line(buf.toString('utf8', lineStart, nl));
          lineStart = nl + 1;
        }
        consumed = carryStart + lineStart;
        carry = buf.subarray(lineStart);
        carryStart = consumed;
      }
    } catch (e) {
      throw new StoreError(`cannot read transcript ${path}: ${(e as Error).message}`, { cause: e });
    }
    if (carry.length > 0 && digester.lastLine(carry.toString('utf8'))) consumed += carry.length;
  }
  return digester.finish(from, consumed);
}

/** Accumulates facts line by line; one instance per read. */
class Digester {
  private format: TranscriptFormat | null;
  private sessionId: string | null = null;
  private cwd: string | null;
  private readonly files: string[] = [];
  private readonly commands: TranscriptCommand[] = [];
  private readonly results = new Map<string, boolean>();
  private readonly callIds = new Set<string>();
  private readonly requests: string[] = [];
  /** Codex writes each prompt twice (response_item and event_msg); events win when present. */
  private readonly codexEventRequests: string[] = [];
  private readonly codexItemRequests: string[] = [];
  private readonly generic = new GenericFacts();
  private lines = 0;
  private badLines = 0;

  constructor(format: TranscriptFormat | null, cwd: string | null) {
    this.format = format === 'unknown' ? null : format;
    this.cwd = cwd;
  }

  line(raw: string): void {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    this.lines++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.badLines++;
      return;
    }
    if (isObject(value)) this.object(value);
  }

  /** A final line without a newline: read only when it is a whole JSON object. */
  lastLine(raw: string): boolean {
    if (raw.trim() === '') return true;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return false;
    }
    if (!isObject(value)) return false;
    this.lines++;
    this.object(value);
    return true;
  }

  private object(o: Obj): void {
    const kind = classify(o);
    if (kind !== null && this.format === null) this.format = kind;
    // Until a line names a known format, facts are gathered by shape; they are
    // dropped if a known format shows up later.
    if (this.format === null) this.generic.object(o);
    else if (kind === 'codex' && this.format === 'codex') this.codex(o);
    else if (kind === 'claude-code' && this.format === 'claude-code') this.claude(o);
  }

  // ---- Claude Code ----

  private claude(o: Obj): void {
    this.sessionId ??= str(o.sessionId);
    this.cwd ??= str(o.cwd);
    const message = isObject(o.message) ? o.message : null;
    if (!message) return;
    const content = message.content;
    if (o.type === 'assistant' && Array.isArray(content)) {
      for (const block of content) {
        if (isObject(block) && block.type === 'tool_use') this.claudeToolUse(block);
      }
      return;
    }
    if (o.type !== 'user') return;
    const texts: string[] = [];
    if (typeof content === 'string') texts.push(content);
    else if (Array.isArray(content)) {
      for (const block of content) {
        if (!isObject(block)) continue;
        if (block.type === 'tool_result') {
          const id = str(block.tool_use_id);
          // An explicit is_error wins; older transcripts without it are read by their text.
          const failed = typeof block.is_error === 'boolean' ? block.is_error : failedByText(resultText(block.content));
          if (id) this.result(id, failed);
        } else if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
      }
    }
    // Meta lines (caveats), compaction summaries and subagent prompts are not the user speaking.
    if (texts.length === 0 || o.isMeta === true || o.isCompactSummary === true || o.isSidechain === true) return;
    const request = cleanRequest(texts.join('\n'));
    if (request) this.requests.push(request);
  }

  private claudeToolUse(block: Obj): void {
    const id = str(block.id);
    if (id) this.callIds.add(id);
    const input = isObject(block.input) ? block.input : {};
    switch (block.name) {
      case 'Bash': {
        const command = str(input.command);
        if (command) this.command(command, id);
        break;
      }
      case 'Write':
      case 'Edit':
      case 'MultiEdit':
        this.file(str(input.file_path));
        break;
      case 'NotebookEdit':
        this.file(str(input.notebook_path) ?? str(input.file_path));
        break;
    }
  }

  // ---- Codex ----

  private codex(o: Obj): void {
    const payload = isObject(o.payload) ? o.payload : null;
    if (!payload) {
      this.codexItem(o); // pre-envelope rollouts: the response item is the line itself
      return;
    }
    switch (o.type) {
      case 'session_meta':
        this.sessionId ??= str(payload.id) ?? str(payload.session_id);
        this.cwd ??= str(payload.cwd);
        break;
      case 'turn_context':
        this.cwd ??= str(payload.cwd);
        break;
      case 'response_item':
        this.codexItem(payload);
        break;
      case 'event_msg':
        this.codexEvent(payload);
        break;
    }
  }

  private codexItem(p: Obj): void {
    const callId = str(p.call_id);
    switch (p.type) {
      case 'message': {
        if (p.role !== 'user' || !Array.isArray(p.content)) return;
        const text = p.content
          .filter((c): c is Obj => isObject(c) && typeof c.text === 'string')
          .map((c) => c.text as string)
          .join('\n');
        const request = cleanRequest(text);
        if (request) this.codexItemRequests.push(request);
        return;
      }
      case 'function_call': {
        if (callId) this.callIds.add(callId);
        const args = parseArgs(p.arguments);
        const name = str(p.name) ?? '';
        if (name === 'apply_patch') this.patch(str(args.input) ?? str(args.patch) ?? '');
        else if (name === 'exec_command') this.shell(args.cmd ?? args.command, callId);
        else if (name === 'shell' || name === 'shell_command' || name === 'container.exec') {
          this.shell(args.command ?? args.cmd, callId);
        }
        return;
      }
      case 'local_shell_call': {
        if (callId) this.callIds.add(callId);
        const action = isObject(p.action) ? p.action : {};
        this.shell(action.command, callId);
        return;
      }
      case 'custom_tool_call':
        if (callId) this.callIds.add(callId);
        if (p.name === 'apply_patch') this.patch(str(p.input) ?? '');
        return;
      case 'function_call_output':
        if (callId) this.result(callId, codexOutputFailed(p.output));
        return;
    }
  }

  private codexEvent(p: Obj): void {
    switch (p.type) {
      case 'user_message': {
        const request = cleanRequest(str(p.message) ?? '');
        if (request) this.codexEventRequests.push(request);
        return;
      }
      case 'item_completed': {
        // Newer rollouts: {item: {type: "UserMessage", content: [{type: "text", text}]}}
        const item = isObject(p.item) ? p.item : null;
        if (item?.type !== 'UserMessage' || !Array.isArray(item.content)) return;
        const text = item.content
          .filter((c): c is Obj => isObject(c) && typeof c.text === 'string')
          .map((c) => c.text as string)
          .join('\n');
        const request = cleanRequest(text);
        if (request) this.codexEventRequests.push(request);
        return;
      }
      case 'patch_apply_end':
        if (isObject(p.changes)) for (const path of Object.keys(p.changes)) this.file(path);
        return;
      case 'exec_command_end': {
        const callId = str(p.call_id);
        if (callId && typeof p.exit_code === 'number') this.result(callId, p.exit_code !== 0);
        return;
      }
    }
  }

  /** A shell call: argv (`["bash", "-lc", "npm test"]`) or a string; `apply_patch` invocations are edits, not commands. */
  private shell(command: unknown, callId: string | null): void {
    let text: string | null = null;
    if (Array.isArray(command)) {
      const argv = command.filter((a): a is string => typeof a === 'string');
      if (argv[0] === 'apply_patch' || argv[0] === 'applypatch') {
        this.patch(argv[1] ?? '');
        return;
      }
      text = joinArgv(argv);
    } else if (typeof command === 'string') text = command;
    if (!text) return;
    if (/^\s*(apply_patch|applypatch)\b/.test(text)) {
      this.patch(text);
      return;
    }
    this.command(text, callId);
  }

  /** Paths named by a Codex patch: `*** Add File:`, `*** Update File:`, `*** Delete File:`, `*** Move to:`. */
  private patch(text: string): void {
    for (const m of text.matchAll(/^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+?)\s*$/gm)) {
      this.file(m[1] ?? null);
    }
  }

  // ---- shared ----

  private command(text: string, callId: string | null): void {
    const command = text.trim();
    if (command === '') return;
    this.commands.push({
      command: command.length > MAX_COMMAND_CHARS ? `${command.slice(0, MAX_COMMAND_CHARS - 1)}…` : command,
      failed: false,
      callId,
    });
  }

  private file(path: string | null): void {
    if (path && path.trim() !== '') this.files.push(path.trim());
  }

  private result(callId: string, failed: boolean): void {
    this.results.set(callId, (this.results.get(callId) ?? false) || failed);
  }

  finish(startOffset: number, endOffset: number): TranscriptDigest {
    const format: TranscriptFormat = this.format ?? 'unknown';
    let requests = this.requests;
    let commands = this.commands;
    let files = this.files;
    let results = this.results;
    let callIds = this.callIds;
    if (format === 'codex') {
      requests = this.codexEventRequests.length > 0 ? this.codexEventRequests : this.codexItemRequests;
    } else if (format === 'unknown') {
      const g = this.generic;
      this.sessionId ??= g.sessionId;
      this.cwd ??= g.cwd;
      requests = g.requests;
      commands = g.commands;
      files = g.files;
      results = g.results;
      callIds = g.callIds;
    }
    for (const c of commands) {
      if (c.callId !== null && results.get(c.callId)) c.failed = true;
    }
    const lateResults: TranscriptDigest['lateResults'] = [];
    for (const [callId, failed] of results) {
      if (failed && !callIds.has(callId)) lateResults.push({ callId, failed });
    }
    const cwd = this.cwd;
    return {
      format,
      sessionId: this.sessionId,
      cwd,
      filesEdited: [...new Set(files.map((f) => relativeTo(f, cwd)))],
      commands,
      userRequests: requests,
      startOffset,
      endOffset,
      lines: this.lines,
      badLines: this.badLines,
      lateResults,
    };
  }
}

/**
 * Facts from a transcript of an unknown format, found by shape: tool calls
 * `{name, input|arguments}` with a shell or edit tool name, results
 * `{tool_use_id|toolCallId|call_id, is_error|isError}`, user messages
 * `{role: "user", content}` at the top or under `message`/`payload`.
 */
class GenericFacts {
  sessionId: string | null = null;
  cwd: string | null = null;
  readonly files: string[] = [];
  readonly commands: TranscriptCommand[] = [];
  readonly results = new Map<string, boolean>();
  readonly callIds = new Set<string>();
  readonly requests: string[] = [];

  object(o: Obj): void {
    this.sessionId ??= str(o.sessionId) ?? str(o.session_id) ?? (o.type === 'session' ? str(o.id) : null);
    this.cwd ??= str(o.cwd);
    for (const m of [o, o.message, o.payload]) {
      if (!isObject(m) || m.role !== 'user') continue;
      const text =
        typeof m.content === 'string'
          ? m.content
          : Array.isArray(m.content)
            ? m.content
                .filter((c): c is Obj => isObject(c) && c.type === 'text' && typeof c.text === 'string')
                .map((c) => c.text as string)
                .join('\n')
            : '';
      const request = cleanRequest(text);
      if (request) this.requests.push(request);
    }
    this.walk(o, 0);
  }

  private walk(node: unknown, depth: number): void {
    if (depth > 6) return;
    if (Array.isArray(node)) {
      for (const item of node) this.walk(item, depth + 1);
      return;
    }
    if (!isObject(node)) return;
    const resultId = str(node.tool_use_id) ?? str(node.toolCallId) ?? str(node.call_id);
    const isError = node.is_error ?? node.isError;
    if (resultId && typeof isError === 'boolean') {
      this.results.set(resultId, (this.results.get(resultId) ?? false) || isError);
    }
    const name = str(node.name);
    if (name && (isObject(node.input) || node.arguments !== undefined)) this.toolCall(node, name);
    for (const value of Object.values(node)) {
      if (typeof value === 'object' && value !== null) this.walk(value, depth + 1);
    }
  }

  private toolCall(node: Obj, name: string): void {
    const args = isObject(node.input) ? node.input : parseArgs(node.arguments);
    const id = str(node.id) ?? str(node.call_id);
    if (id) this.callIds.add(id);
    const tool = name.toLowerCase();
    if (SHELL_TOOLS.has(tool)) {
      const command = args.command ?? args.cmd;
      const text = Array.isArray(command)
        ? joinArgv(command.filter((a): a is string => typeof a === 'string'))
        : str(command);
      if (text?.trim()) {
        this.commands.push({ command: text.trim().slice(0, MAX_COMMAND_CHARS), failed: false, callId: id });
      }
    } else if (EDIT_TOOLS.has(tool) && args.command !== 'view') {
      const path = str(args.file_path) ?? str(args.path) ?? str(args.notebook_path) ?? str(args.filePath);
      if (path) this.files.push(path);
    }
  }
}

const SHELL_TOOLS = new Set([
  'bash',
  'shell',
  'exec_command',
  'shell_command',
  'run_command',
  'run_shell_command',
  'execute_command',
  'run_terminal_cmd',
  'terminal',
]);
const EDIT_TOOLS = new Set([
  'write',
  'edit',
  'multiedit',
  'multi_edit',
  'notebookedit',
  'write_file',
  'edit_file',
  'create_file',
  'replace',
  'str_replace_editor',
  'str_replace_based_edit_tool',
]);

const CLAUDE_TYPES = new Set(['user', 'assistant', 'system', 'summary', 'attachment', 'progress']);
const CODEX_TYPES = new Set(['session_meta', 'response_item', 'event_msg', 'turn_context', 'compacted']);
const CODEX_BARE_ITEMS = new Set(['function_call', 'function_call_output', 'local_shell_call', 'custom_tool_call']);

/** Which known format one line belongs to, or null when the line alone does not say. */
function classify(o: Obj): TranscriptFormat | null {
  const type = o.type;
  if (typeof type !== 'string') return null;
  if (CODEX_TYPES.has(type) && isObject(o.payload)) return 'codex';
  if (CLAUDE_TYPES.has(type) && (typeof o.sessionId === 'string' || typeof o.uuid === 'string')) return 'claude-code';
  if (CODEX_BARE_ITEMS.has(type) && typeof o.call_id === 'string') return 'codex';
  if (type === 'message' && typeof o.role === 'string' && Array.isArray(o.content)) return 'codex';
  return null;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Tool arguments: an object, or (Codex) a JSON string holding one. */
function parseArgs(v: unknown): Obj {
  if (isObject(v)) return v;
  if (typeof v === 'string') {
    try {
      const parsed: unknown = JSON.parse(v);
      return isObject(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
  return {};
}

/** `["bash", "-lc", "npm test"]` -> `npm test`; other argv joined, quoting words with spaces. */
function joinArgv(argv: string[]): string {
  if (argv.length === 3 && /^(?:\/\S*\/)?(?:ba|z|da)?sh$/.test(argv[0]!) && /^-l?c$/.test(argv[1]!)) return argv[2]!;
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** Text of a Claude tool_result `content`: a string or an array of `{type: "text", text}` blocks. */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .filter((c): c is Obj => isObject(c) && typeof c.text === 'string')
      .map((c) => c.text as string)
      .join('\n');
  }
  return '';
}

/** Claude Code reports a failed command as `Exit code N` text (with `is_error`), older versions as `<error>…`. */
function failedByText(text: string): boolean {
  const head = text.trimStart().slice(0, 200);
  if (head.startsWith('<error>') || head.startsWith('<tool_use_error>')) return true;
  const m = /^Exit code (-?\d+)/.exec(head);
  return m !== null && m[1] !== '0';
}

/**
 * Codex `function_call_output.output`: a JSON string `{output, metadata: {exit_code}}`
 * (shell), text with `Exit code: N` or `Process exited with code N` (exec_command),
 * or an object `{content, success}`.
 */
function codexOutputFailed(output: unknown): boolean {
  let value: unknown = output;
  if (typeof output === 'string') {
    try {
      value = JSON.parse(output);
    } catch {
      value = output;
    }
  }
  if (isObject(value)) {
    if (value.success === false) return true;
    const meta = isObject(value.metadata) ? value.metadata : null;
    if (meta && typeof meta.exit_code === 'number') return meta.exit_code !== 0;
    if (typeof value.exit_code === 'number') return value.exit_code !== 0;
    value = typeof value.output === 'string' ? value.output : typeof value.content === 'string' ? value.content : '';
  }
  if (typeof value !== 'string') return false;
  const m = /^(?:Exit code:?|Process exited with code) (-?\d+)/m.exec(value.slice(0, 2000));
  return m !== null && m[1] !== '0';
}

/**
 * Markup agents wrap around text that is not the user's request: Claude Code
 * slash-command wrappers and reminders, Codex environment/instruction blocks.
 */
const WRAPPER_ELEMENTS =
  /<(system-reminder|command-name|command-message|command-args|command-contents|local-command-stdout|local-command-stderr|local-command-caveat|bash-input|bash-stdout|bash-stderr|user-prompt-submit-hook|task-notification|environment_context|user_instructions|permissions instructions|user_shell_command|turn_aborted)>[\s\S]*?<\/\1>/g;
const NOT_A_REQUEST = [
  /^# AGENTS\.md instructions\b/,
  /^Caveat: The messages below were generated by the user while running local commands/,
  /^\[Request interrupted by user/,
  /^This session is being continued from a previous conversation/,
];

/** The user's words from a message, or null when it is only wrapper text; collapsed and cut to 200 characters. */
function cleanRequest(text: string): string | null {
  const stripped = text.replace(WRAPPER_ELEMENTS, ' ').replace(/\s+/g, ' ').trim();
  if (stripped === '' || NOT_A_REQUEST.some((re) => re.test(stripped))) return null;
  const chars = Array.from(stripped);
  return chars.length > MAX_REQUEST_CHARS ? `${chars.slice(0, MAX_REQUEST_CHARS - 1).join('')}…` : stripped;
}

/** `path` relative to `cwd` when inside it (POSIX or Windows separators), else unchanged. */
function relativeTo(path: string, cwd: string | null): string {
  let p = path.startsWith('./') ? path.slice(2) : path;
  if (!cwd) return p;
  const root = cwd.replace(/[\\/]+$/, '');
  if (p === root) return '.';
  for (const sep of ['/', '\\']) {
    if (p.startsWith(root + sep)) {
      p = p.slice(root.length + 1);
      return sep === '\\' ? p.replaceAll('\\', '/') : p;
    }
  }
  return p;
}
