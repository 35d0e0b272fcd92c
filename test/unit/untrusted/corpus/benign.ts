// Ordinary tool output that must NOT be flagged: READMEs and docs that mention "system",
// "instructions" and "ignore", code, logs, GitHub JSON, emails that say "please ignore the previous
// email", right-to-left text with its bidi marks, Indic and Persian joiners, Thai word breaks,
// emoji ZWJ sequences and subdivision flags, base64 data, URL templates. Each entry is a look-alike
// of some rule in src/core/untrusted/rules.ts; the comment before a group says which.

export type BenignSample = [id: string, text: string];

const RLM = '\u200F';
const LRM = '\u200E';
const ALM = '\u061C';
const ZWNJ = '\u200C';
const ZWJ = '\u200D';
const ZWSP = '\u200B';
const SHY = '\u00AD';
const RLE = '\u202B';
const LRE = '\u202A';
const PDF = '\u202C';
const RLI = '\u2067';
const LRI = '\u2066';
const FSI = '\u2068';
const PDI = '\u2069';

// ---- docs and READMEs ("ignore", "instructions", "system", "you are now", secrets files) ----
const DOCS: BenignSample[] = [
  ['readme-install', '## Installation\n\n```sh\nnpm install --save-dev toolweaver\n```\n\nFollow the instructions below to configure your first server.'],
  ['readme-curl-sh', 'Install the latest release:\n\n    curl -fsSL https://get.example.dev/install.sh | sh\n\nThe script detects your system and downloads the right binary.'],
  ['readme-ssh-setup', 'Generate a key with `ssh-keygen -t ed25519 -C "you@example.com"`. It is saved to ~/.ssh/id_ed25519. Copy the contents of ~/.ssh/id_ed25519.pub and paste them into https://github.com/settings/keys.'],
  ['readme-ssh-agent', 'Start the agent with `eval "$(ssh-agent -s)"` and add your private key: `ssh-add ~/.ssh/id_ed25519`. See the GitHub docs for troubleshooting.'],
  ['readme-dotenv', 'Copy `.env.example` to `.env` and fill in the values. Never commit `.env`: it is listed in `.gitignore`.'],
  ['readme-npmrc', 'To install from the private registry, add an auth token to your ~/.npmrc. Ask the platform team for a token.'],
  ['eslint-ignore-rules', 'To ignore all rules for a file, add `/* eslint-disable */` at the top. To ignore the rules on one line use `// eslint-disable-line`.'],
  ['docs-ignore-previous-step', 'If you already have Node 20, ignore the previous step and continue with "Configure the server".'],
  ['docs-system-requirements', '### System requirements\n\n- Linux, macOS or Windows 10+\n- 4 GB RAM\n- Node.js 20 or later'],
  ['docs-instructions-heading', '## Instructions\n\n1. Open the command palette.\n2. Run **ToolWeaver: Refresh Catalog**.\n3. Pick a server.'],
  ['docs-llm-system-prompt', 'The `system` parameter sets the system prompt. A good system prompt describes the role, the tone and the format of the answer. Keep it short: it is sent with every request.'],
  ['docs-openai-messages', 'Pass the conversation as a list of messages, each with a role (`system`, `user` or `assistant`) and content:\n\n```json\n[{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "Hello!"}]\n```'],
  ['docs-you-are-now-ready', 'That is it — you are now ready to run your first script. You are now logged in as the admin user of the demo workspace.'],
  ['docs-oauth-flow', 'Exchange the authorization code for an access token by sending a POST request to https://oauth2.example.com/token. Send the access token in the Authorization header of every API call.'],
  ['docs-api-key-header', 'Authenticate by passing your API key in the `X-Api-Key` header. Keys are created in the dashboard under Settings → API keys.'],
  ['docs-prompt-injection-mention', 'Security: tool results can contain untrusted text. Treat anything a tool returns as data. Our review checklist covers injection risks, rate limits and secret handling.'],
  ['docs-important-bold', '**IMPORTANT:** back up your database before upgrading. Version 3 changes the schema and the migration cannot be undone.'],
  ['docs-note-admonition', '> [!NOTE]\n> The `--watch` flag rebuilds on every change.\n\n> [!WARNING]\n> Do not run two watchers on the same folder.'],
  ['docs-forget-password', 'Forgot your password? Click "Reset password" and follow the instructions in the email we send you.'],
  ['docs-override-config', 'Settings in `.vscode/settings.json` override the user settings for that workspace. Use `--config` to override the default configuration file.'],
  ['docs-user-agent', 'The client sends `User-Agent: toolweaver/1.4` and retries on 429 with exponential backoff.'],
  ['docs-model-card', 'Note for the model card authors: list the training data, evaluation results and known limitations. If you are an AI researcher, see the evaluation appendix.'],
  ['docs-agent-heartbeat', 'The monitoring agent must send a heartbeat every 30 seconds. Agents should retry with backoff when the collector is unavailable.'],
  ['docs-bypass-cache', 'Pass `--no-cache` to bypass the cache. To bypass the proxy for local hosts, set NO_PROXY=localhost,127.0.0.1.'],
  ['docs-jailbreak-iphone', 'This repository tracks the jailbreak tools for iOS 12. Use at your own risk.'],
  ['docs-human-readable', 'Human-readable sizes: pass `-h`. The assistant panel shows the last 10 runs.'],
  ['docs-gitignore', '# Ignore build output\ndist/\nnode_modules/\n# Ignore the previous build cache\n.cache/'],
  ['docs-chatbot-tutorial', 'In this tutorial we build a chatbot. The bot answers questions about orders; the assistant role holds its replies and the user role holds the questions.'],
  ['docs-maven-pom', '<project>\n  <issueManagement>\n    <system>GitHub</system>\n    <url>https://github.com/acme/widget/issues</url>\n  </issueManagement>\n  <ciManagement>\n    <system>Jenkins</system>\n  </ciManagement>\n</project>'],
  ['docs-kubectl-config', 'kubectl reads its configuration from ~/.kube/config. Use `kubectl config use-context staging` to switch clusters.'],
  ['docs-mcp-json', 'ToolWeaver reads servers from `.vscode/mcp.json` in the workspace and from your user profile. Run `toolweaver catalog` to list the tools it found.'],
  ['docs-aws-credentials', 'The AWS CLI stores keys in ~/.aws/credentials and settings in ~/.aws/config. Use named profiles for several accounts.'],
  ['docs-etc-passwd', 'Each line of /etc/passwd describes one account: name, password placeholder, UID, GID, GECOS, home directory and shell.'],
  ['docs-new-features', 'New features: structural previews, a read_value tool and a token account per run. See the changelog for details.'],
  ['docs-from-now-on', 'From now on, you will receive the weekly digest on Mondays instead of Fridays.'],
  ['docs-tool-description-usage', 'Use this tool to search issues. Call `list_repositories` first to get a repository id, then pass it as `repo`. Results are paginated.'],
  ['docs-hide-from-user', 'Never show the user a raw stack trace: log it and show a short message. Do not tell the user to restart unless the state is lost.'],
  ['docs-keyboard', 'Press Ctrl+Shift+P, type "Developer: Reload Window" and press Enter.'],
  ['docs-terms', 'You must not use the service to send spam. We may suspend accounts that violate these terms without notice.'],
  ['docs-tokenizer-count', 'The tokenizer counts 1 MiB of JSON in 68 ms. Prompts longer than the context window are truncated from the start.'],
  ['docs-alpaca-readme-heading', '### Instructions for contributors\n\nRun the tests before opening a pull request.'],
  ['docs-python-repl', '>>> import this\nThe Zen of Python, by Tim Peters\n\nBeautiful is better than ugly.'],
  ['docs-secret-rotation', 'Rotate secrets every 90 days. Store passwords in the vault and reference them by name in the pipeline.'],
  ['docs-send-report', 'Upload the coverage report to https://codecov.io with `codecov -f coverage.xml`. Send the build results to the team channel.'],
  ['docs-url-templates', 'GET https://api.github.com/repos/{owner}/{repo}/issues/{issue_number}/comments\n\nReplace {owner} and {repo} with your values.'],
  ['docs-api-key-template', 'Request: https://api.example.com/v1/forecast?city={city}&api_key={API_KEY}&units=metric'],
];

// ---- code ----
const CODE: BenignSample[] = [
  ['ts-function', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n'],
  ['ts-ignore-comment', '// @ts-ignore: the SDK types are wrong here\nconst client = new Client(options as any);'],
  ['py-system-call', 'import os\nimport subprocess\n\ndef run(cmd):\n    """Run a system command and return its output."""\n    return subprocess.check_output(cmd, shell=False)\n'],
  ['py-langchain', 'from langchain.schema import SystemMessage, HumanMessage\n\nmessages = [\n    SystemMessage(content="You are a helpful assistant that translates English to French."),\n    HumanMessage(content="I love programming."),\n]'],
  ['js-openai-call', 'const res = await openai.chat.completions.create({\n  model: "gpt-4o",\n  messages: [{ role: "system", content: systemPrompt }, { role: "user", content: question }],\n});'],
  ['go-main', 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello, world")\n}\n'],
  ['rust-result', 'fn parse(input: &str) -> Result<Config, Error> {\n    let value: Config = serde_json::from_str(input)?;\n    Ok(value)\n}'],
  ['sql-query', "SELECT id, email, created_at\nFROM users\nWHERE deleted_at IS NULL\n  AND role = 'admin'\nORDER BY created_at DESC\nLIMIT 20;"],
  ['bash-script', '#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.log; do\n  gzip "$f"\ndone\necho "done"'],
  ['bash-env-grep', 'env | grep -i proxy\nprintenv HOME\nset | less'],
  ['js-regex', "const EMAIL = /^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/;\nconst ok = EMAIL.test(input.trim());"],
  ['ts-ignore-errors', 'try {\n  await fs.unlink(tmp);\n} catch {\n  // ignore: the file may already be gone\n}'],
  ['dockerfile', 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "dist/cli.js"]'],
  ['yaml-ci', 'name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test'],
  ['k8s-secret', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\ntype: Opaque\ndata:\n  username: YWRtaW4=\n  password: MWYyZDFlMmU2N2Rm'],
  ['html-page', '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Docs</title></head>\n<body><main><h1>Welcome</h1><p>Read the <a href="/guide">guide</a>.</p></main></body>\n</html>'],
  ['css', '.button {\n  color: var(--vscode-button-foreground);\n  background: var(--vscode-button-background);\n}\n.important { font-weight: bold; }'],
  ['java-system-out', 'public class Main {\n    public static void main(String[] args) {\n        System.out.println("Hello");\n        System.exit(0);\n    }\n}'],
  ['c-include', '#include <stdio.h>\n#include <system_error>\nint main(void) { printf("ok\\n"); return 0; }'],
  ['csharp-using', 'using System;\nusing System.IO;\n\nnamespace Demo {\n    class Program { static void Main() => Console.WriteLine("hi"); }\n}'],
  ['py-prompt-template', 'TEMPLATE = """Answer the question using only the context below.\n\nContext: {context}\n\nQuestion: {question}\nAnswer:"""'],
  ['ts-role-union', "type Role = 'system' | 'user' | 'assistant' | 'tool';\ninterface Message { role: Role; content: string }"],
  ['xml-config', '<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n  <appSettings>\n    <add key="Environment" value="Production" />\n  </appSettings>\n</configuration>'],
  ['php', '<?php\n$user = $_SESSION["user"] ?? null;\nif (!$user) { header("Location: /login"); exit; }\necho htmlspecialchars($user["name"]);'],
  ['makefile', 'build:\n\tnode esbuild.mjs\n\ntest: build\n\tnpx vitest run\n\n.PHONY: build test'],
  ['diff', 'diff --git a/src/index.ts b/src/index.ts\n--- a/src/index.ts\n+++ b/src/index.ts\n@@ -1,3 +1,4 @@\n+import { z } from "zod";\n export const x = 1;'],
  ['ts-base64-constant', "const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';"],
  ['ts-hash-constant', "export const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';\nexport const ID = 'b3c5d64e1f0a';"],
  ['py-args-help', 'parser.add_argument("--ignore", nargs="*", help="patterns to ignore (default: none)")\nparser.add_argument("--system", help="path to the system config")'],
  ['shell-history', '$ git status\n$ git add -A\n$ git commit -m "fix: ignore empty lines in the parser"\n$ git push origin main'],
];

// ---- logs and command output ----
const LOGS: BenignSample[] = [
  ['nginx-access', '127.0.0.1 - - [10/Oct/2025:13:55:36 +0000] "GET /api/v1/users HTTP/1.1" 200 2326 "-" "Mozilla/5.0 (X11; Linux x86_64)"'],
  ['systemd-journal', 'Dec 01 10:12:01 host systemd[1]: Started Daily apt download activities.\nDec 01 10:12:05 host systemd[1]: Reached target System Time Synchronized.'],
  ['npm-install', 'npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.\n\nadded 412 packages, and audited 413 packages in 9s\n\nfound 0 vulnerabilities'],
  ['stack-trace', 'TypeError: Cannot read properties of undefined (reading \'map\')\n    at render (/app/src/view.ts:42:17)\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)'],
  ['k8s-events', 'LAST SEEN   TYPE      REASON      OBJECT            MESSAGE\n2m          Warning   BackOff     pod/api-7c9d      Back-off restarting failed container\n1m          Normal    Pulled      pod/api-7c9d      Container image already present on machine'],
  ['ci-log', '##[group]Run npm test\n> toolweaver@1.4.0 test\n> vitest run\n\n Test Files  42 passed (42)\n      Tests  613 passed (613)\n##[endgroup]'],
  ['uname-info', 'System: Linux 6.8.0-45-generic x86_64\nUser: builder\nShell: /bin/bash\nUptime: 3 days'],
  ['bracket-system-log', '[SYSTEM] Service started on port 8080\n[SYSTEM] Health check passed\n[USER] alice logged in'],
  ['ignoring-config', 'WARN ignoring previous config file /etc/app.conf: superseded by /etc/app.d/10-local.conf'],
  ['python-traceback', 'Traceback (most recent call last):\n  File "main.py", line 3, in <module>\n    import numpy\nModuleNotFoundError: No module named \'numpy\''],
  ['git-log', 'commit 9fceb02d0ae598e95dc970b74767f19372d61af8\nAuthor: Ada Lovelace <ada@example.com>\nDate:   Mon Dec 1 10:00:00 2025 +0000\n\n    Ignore empty instructions in the assembler'],
  ['cpu-instructions', 'perf stat: 1,234,567,890 instructions  #  1.52 insn per cycle\nThe pipeline flushed and ignored all prior instructions after the mispredicted branch.'],
  ['docker-ps', 'CONTAINER ID   IMAGE          STATUS          PORTS                    NAMES\n3f4e5d6c7b8a   postgres:16    Up 2 hours      0.0.0.0:5432->5432/tcp   db'],
  ['test-output', '✓ test/unit/untrusted/scan.test.ts (12 tests) 41ms\n✗ test/unit/catalog/config.test.ts > rejects bad json\n  AssertionError: expected "x" to be "y"'],
  ['cron-log', 'CRON[2231]: (root) CMD (test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily ))'],
  ['http-headers', 'HTTP/1.1 200 OK\nContent-Type: application/json; charset=utf-8\nCache-Control: no-store\nX-Request-Id: 7f3a2b1c'],
  ['ssh-debug', 'debug1: Offering public key: /home/dev/.ssh/id_ed25519 ED25519 SHA256:abc123 explicit\ndebug1: Server accepts key: /home/dev/.ssh/id_ed25519\nAuthenticated to github.com ([140.82.121.4]:22) using "publickey".'],
  ['pip-install', 'Collecting requests\n  Downloading requests-2.32.3-py3-none-any.whl (64 kB)\nInstalling collected packages: requests\nSuccessfully installed requests-2.32.3'],
  ['chat-server-log', '2025-12-01T10:00:01Z INFO user=alice joined #general\n2025-12-01T10:00:05Z INFO assistant-service reconnected after 2 retries'],
  ['windows-event', 'Log Name: System\nSource: Service Control Manager\nEvent ID: 7036\nDescription: The Windows Update service entered the running state.'],
];

// ---- JSON from APIs (GitHub issues and PRs, calendars, search) ----
const gh = (title: string, body: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ number: 1000 + title.length, title, state: 'open', user: { login: 'octocat', id: 583231 }, labels: [{ name: 'bug' }], body, ...extra });
const JSONS: BenignSample[] = [
  ['gh-issue-crash', gh('Crash on startup', 'Steps to reproduce:\n1. Open a folder\n2. Run the command\n\nExpected: the panel opens. Actual: `TypeError: x is undefined`.')],
  ['gh-issue-ignore-comment', gh('Flaky test', 'Please ignore my previous comment, I had a stale build. The test passes now on main.')],
  ['gh-issue-ignore-above', gh('Docs typo', 'Ignore the above, I found the fix: the path was wrong in my config.')],
  ['gh-issue-system-prompt', gh('System prompt too long', 'When the catalog has 500 tools, the system prompt grows past 40k tokens. Could we move the stubs to a tool instead?')],
  ['gh-issue-model-ignores', gh('Model ignores instructions', 'With gpt-4o the model ignored the previous instructions after 20 turns. Is there a way to pin them?')],
  ['gh-pr-dependabot', gh('Bump vitest from 3.1.0 to 3.2.4', 'Bumps [vitest](https://github.com/vitest-dev/vitest) from 3.1.0 to 3.2.4.\n\nDependabot will resolve any conflicts with this PR as long as you don\'t alter it yourself.', { draft: false })],
  ['gh-issue-feature', gh('Support SSE servers', 'It would be great to support servers that only speak SSE. Our internal server cannot be upgraded yet.')],
  ['gh-issue-hey-copilot', gh('Refactor the parser', 'Hey @octocat, could you take a look at the parser refactor when you have time? Thanks!')],
  ['gh-comments', JSON.stringify([{ id: 1, user: 'maintainer', body: 'Thanks! Merged.' }, { id: 2, user: 'bot', body: 'This issue has been automatically marked as stale.' }])],
  ['gh-release', JSON.stringify({ tag_name: 'v1.4.0', name: 'ToolWeaver 1.4', body: '## What\'s changed\n- Structural previews\n- New `read_value` tool\n\n**Full Changelog**: https://github.com/acme/toolweaver/compare/v1.3.0...v1.4.0' })],
  ['calendar', JSON.stringify({ items: [{ summary: 'Standup', start: '2025-12-01T09:00:00Z', attendees: ['ada@example.com', 'alan@example.com'] }, { summary: 'Offsite planning', location: 'Room 4' }] })],
  ['search-results', JSON.stringify({ query: 'prompt engineering', results: [{ title: 'A guide to writing system prompts', url: 'https://example.com/guide' }, { title: 'Instructions tuning explained', url: 'https://example.com/it' }] })],
  ['jwt-response', JSON.stringify({ access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', token_type: 'Bearer', expires_in: 3600 })],
  ['image-base64', JSON.stringify({ type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAABHNCSVQICAgIfAhkiAAAAAlwSFlzAAAOxAAADsQBlSsOGwAAABl0RVh0U29mdHdhcmUAd3d3Lmlua3NjYXBlLm9yZ5vuPBoAAAEqSURBVDiNpZMxTsNAEEXfX9sKQqKgpKGj5AScgJqWM3ADDsERuAIH4Aa0NJyAkoKCggIJCcXZ' })],
  ['base64-text-benign', JSON.stringify({ encoding: 'base64', content: Buffer.from('# Widget\n\nA small library for drawing widgets. Run npm test before sending a pull request.\n').toString('base64') })],
  ['package-json', JSON.stringify({ name: 'demo', version: '1.0.0', scripts: { test: 'vitest run', build: 'node esbuild.mjs' }, dependencies: { zod: '4.6.7' } }, null, 2)],
  ['tsconfig', JSON.stringify({ compilerOptions: { target: 'ES2022', strict: true, skipLibCheck: true }, include: ['src'] }, null, 2)],
  ['openapi-snippet', JSON.stringify({ paths: { '/repos/{owner}/{repo}': { get: { summary: 'Get a repository', parameters: [{ name: 'owner', in: 'path' }] } } } })],
  ['crm-records', JSON.stringify([{ id: 'c_1', name: 'Ada Lovelace', email: 'ada@example.com', tier: 'gold' }, { id: 'c_2', name: 'Alan Turing', email: 'alan@example.com', tier: 'silver' }])],
  ['weather', JSON.stringify({ city: 'Paris', temperature: 18, unit: 'C', conditions: 'sunny', forecast: [{ day: 'Tue', high: 19 }, { day: 'Wed', high: 15 }] })],
  ['uuid-list', JSON.stringify({ ids: ['123e4567-e89b-12d3-a456-426614174000', '9b2f1c3e-2d4a-4f5b-8c6d-7e8f9a0b1c2d'] })],
  ['error-json', JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests. Retry after 30 seconds.', retry_after: 30 } })],
  ['chat-api-response', JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 0, message: { role: 'assistant', content: 'The capital of France is Paris.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 8 } })],
  ['memory-graph', JSON.stringify({ entities: [{ name: 'John_Smith', entityType: 'person', observations: ['Speaks fluent Spanish', 'Prefers morning meetings'] }], relations: [{ from: 'John_Smith', to: 'Anthropic', relationType: 'works_at' }] })],
  ['filesystem-tree', JSON.stringify([{ name: 'src', type: 'directory', children: [{ name: 'index.ts', type: 'file' }] }, { name: '.env.example', type: 'file' }, { name: 'README.md', type: 'file' }])],
];

// ---- emails and messages ----
const EMAILS: BenignSample[] = [
  ['email-ignore-previous', 'Hi all,\n\nPlease ignore the previous email — I attached the wrong file. The correct invoice is attached now.\n\nBest,\nMaria'],
  ['email-disregard-last', 'Please disregard my last message; the meeting is still on Thursday at 3 pm.'],
  ['email-ignore-above', 'Sorry, please ignore the above. Sent too early!'],
  ['email-forget-what-i-said', 'Forget what I said earlier about the budget, finance approved the full amount.'],
  ['email-subscribed', 'Welcome! You are now subscribed to the Acme newsletter. You can unsubscribe at any time.'],
  ['email-org-member', 'You are now a member of the acme-corp organization on GitHub. You can now push to the repositories your team has access to.'],
  ['email-signature-assistant', 'Thanks,\nJohn Smith\nVice President, Sales\nAssistant: Mary Jones (mary.jones@example.com)'],
  ['email-confidential', 'CONFIDENTIAL — do not forward. The Q3 numbers will be announced on Friday; please keep this to yourselves until then.'],
  ['email-ooo', 'I am out of the office until Monday with limited access to email. For urgent matters contact the on-call team.'],
  ['email-note-to-manager', 'Note to the assistant manager: the delivery arrives at 7 am, please make sure someone is at the loading dock.'],
  ['email-updated-instructions', 'Updated instructions for the offsite: parking is at level 2, and lunch is served at noon in the atrium.'],
  ['email-password-reset', 'We received a request to reset your password. If you did not make this request, you can ignore this email — your password will not change.'],
  ['email-do-not-reply', 'This is an automated message, please do not reply. Your order #4411 has shipped and will arrive on Wednesday.'],
  ['email-tell-customer', "Don't tell the customer about the discount until the contract is signed, we need approval first."],
  ['email-surprise', 'We are planning a surprise party for Sam. Keep it secret from Sam until Friday!'],
  ['slack-here', 'Heads-up @\u200Bhere: the deploy window moves to 16:00 UTC today.'],
  ['sms-code', 'Your verification code is 482913. It expires in 10 minutes. Do not share it with anyone.'],
  ['email-hello-team', 'Hello team,\n\nThe new system goes live on Monday. Instructions for logging in are in the wiki.'],
  ['email-chain-quote', 'On Mon, Dec 1, 2025 at 9:00 AM Alan <alan@example.com> wrote:\n> Can you send me the slides?\n\nSure, attached.'],
  ['email-forward-request', 'Could you forward the meeting notes to the rest of the team? Thanks!'],
];

// ---- multilingual text, right-to-left scripts with their marks, joiners ----
const INTL: BenignSample[] = [
  ['arabic-plain', 'مرحبا بالعالم. هذا نص تجريبي باللغة العربية يحتوي على أرقام مثل 2025 وكلمات مثل API.'],
  ['arabic-rlm', `السعر${RLM}: 25 دولار${RLM} (شامل الضريبة)`],
  ['arabic-alm', `العدد ${ALM}-5${ALM} درجة تحت الصفر في المدينة`],
  ['hebrew-lrm', `הקובץ ${LRM}README.md${LRM} נמצא בתיקייה הראשית.`],
  ['hebrew-embedding', `המשתמש ${LRE}alice@example.com${PDF} הצטרף לקבוצה.`],
  ['hebrew-isolates', `ההודעה נשלחה אל ${FSI}Bob Smith${PDI} ב-${LRI}10:30${PDI}.`],
  ['arabic-isolate-name', `قام ${LRI}John${PDI} بتحديث الملف.`],
  ['wikipedia-rle', `${RLE}ויקיפדיה היא אנציקלופדיה חופשית${PDF} — Wikipedia is a free encyclopedia.`],
  ['persian-zwnj', `من می${ZWNJ}خواهم این کتاب را بخوانم. آن${ZWNJ}ها به خانه رفتند.`],
  ['persian-rli', `کاربر ${RLI}علی${PDI} وارد شد.`],
  ['urdu', 'پاکستان کا دارالحکومت اسلام آباد ہے۔'],
  ['hindi-zwj', `क्ष${ZWJ}त्रिय और र${ZWNJ}्य — हिंदी पाठ में जोड़क वर्ण।`],
  ['malayalam-zwj', `മലയാളം: ന്${ZWJ} ര്${ZWJ} ല്${ZWJ} (chillu letters)`],
  ['sinhala-zwj', `ශ්${ZWJ}රී ලංකා`],
  ['thai-zwsp', `ภาษาไทย${ZWSP}ไม่มี${ZWSP}ช่องว่าง${ZWSP}ระหว่าง${ZWSP}คำ`],
  ['khmer-zwsp', `ភាសាខ្មែរ${ZWSP}គឺ${ZWSP}ជា${ZWSP}ភាសា`],
  ['japanese', '東京は日本の首都です。システムの設定を確認してください。以前のバージョンは無視してください。'],
  ['chinese-ignore-case', '搜索时忽略大小写。请按照说明安装系统。'],
  ['korean', '시스템 요구 사항: 메모리 4GB 이상. 이전 버전은 무시하세요.'],
  ['russian-plain', 'Система перезагрузится через 5 минут. Игнорируйте предыдущее письмо — оно было отправлено по ошибке.'],
  ['russian-latin-words', 'Я залил фикс в GitHub, проверь Pull Request и CI. Работает на Node 20 и в Docker.'],
  ['russian-suffix', 'Это есть в GitHubе и в Jiraе, проверь.'],
  ['serbian-mixed', 'Београд / Beograd је главни град Србије. Latinica i ћирилица се користе.'],
  ['greek', 'Η Αθήνα είναι η πρωτεύουσα της Ελλάδας. Χρόνος απόκρισης: 5 μs, Δt = 0.1 s.'],
  ['greek-math', 'Let α = 0.05 and β = 0.2; the test has power 1 − β. σ² is the variance, μ the mean.'],
  ['german-soft-hyphen', `Donau${SHY}dampf${SHY}schiff${SHY}fahrts${SHY}gesellschaft ist ein langes Wort.`],
  ['french', "Veuillez ignorer le message précédent, la réunion est maintenue à 15 h. Merci de suivre les instructions d'installation."],
  ['spanish', 'Por favor, ignora el correo anterior. Las instrucciones de instalación están en el manual del sistema.'],
  ['german', 'Bitte ignorieren Sie die vorherige E-Mail. Die Anweisungen zur Installation finden Sie im Handbuch.'],
  ['yiddish', 'ייִדיש איז אַ שפּראַך וואָס ווערט גערעדט פֿון ייִדן.'],
  ['mixed-rtl-code', `הפקודה ${LRI}npm install${PDI} מתקינה את התלויות.`],
  ['bom-start', '\uFEFF# Title\n\nA file that starts with a byte-order mark.'],
];

// ---- emoji ----
const EMOJI: BenignSample[] = [
  ['emoji-family', 'Family photo 👨‍👩‍👧‍👦 from the trip, and the couple 👩‍❤️‍👨.'],
  ['emoji-professions', 'Team: 👩‍💻 dev, 👨‍🔬 research, 🧑‍🚀 ops, 👩🏽‍🏫 teacher.'],
  ['emoji-flags-subdivision', 'Six Nations: 🏴󠁧󠁢󠁥󠁮󠁧󠁿 England v 🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland, then 🏴󠁧󠁢󠁷󠁬󠁳󠁿 Wales v 🇮🇪 Ireland.'],
  ['emoji-rainbow', 'Pride month 🏳️‍🌈 🏳️‍⚧️ — celebrate!'],
  ['emoji-heart-fire', 'Loved it ❤️‍🔥 ❤️‍🩹 and the ✌️ sign.'],
  ['emoji-keycap', 'Press 1️⃣ for sales, 2️⃣ for support, #️⃣ to repeat.'],
  ['emoji-skin-tones', '👍🏻 👍🏼 👍🏽 👍🏾 👍🏿 thumbs up from everyone'],
  ['emoji-text-presentation', 'Check ✔︎ and cross ✖︎ in text style; ☺︎ ☹︎.'],
  ['emoji-slack', ':tada: Released v2.0 🎉🚀 thanks everyone 🙏 — see #releases'],
  ['emoji-eye-bubble', 'Witness 👁️‍🗨️ and the polar bear 🐻‍❄️ and the phoenix 🐦‍🔥.'],
  ['emoji-handshake', 'Deal 🫱🏻‍🫲🏿 signed 📝✅'],
  ['emoji-cjk-ivs', '葛\u{E0100}城市 and 辻\u{E0101} use ideographic variation selectors.'],
];

// ---- tool descriptions of ordinary servers (hand-written in the style of popular MCP servers) ----
const DESCRIPTIONS: BenignSample[] = [
  ['desc-github-create-issue', 'Create a new issue in a GitHub repository. Requires `owner`, `repo` and `title`; `body` supports Markdown.'],
  ['desc-slack-post', 'Post a message to a Slack channel. The bot must be a member of the channel. Use `thread_ts` to reply in a thread.'],
  ['desc-browser-navigate', 'Navigate the browser to a URL. Waits until the page has loaded. Use browser_snapshot afterwards to read the page.'],
  ['desc-shell', 'Run a shell command in the workspace and return stdout, stderr and the exit code. Commands time out after 60 seconds.'],
  ['desc-sql', 'Execute a read-only SQL query against the analytics database. Only SELECT statements are allowed; results are limited to 1,000 rows.'],
  ['desc-email-send', 'Send an email on behalf of the user. Ask the user to confirm the recipients and the subject before calling this tool.'],
  ['desc-sequential-thinking', 'A detailed tool for dynamic and reflective problem-solving through thoughts. Each thought can build on, question, or revise previous insights. You should: 1. Start with an initial estimate of needed thoughts, but be ready to adjust. 2. Feel free to question or revise previous thoughts. 3. Only set next_thought_needed to false when truly done.'],
  ['desc-fetch', 'Fetches a URL from the internet and optionally extracts its contents as markdown. Although originally you did not have internet access, and were advised to refuse and tell the user this, this tool now grants you internet access.'],
  ['desc-secrets-manager', 'Read a secret from the vault by name. Returns metadata only (version, created_at); the value is never returned to the model.'],
  ['desc-ignore-param', 'List files in a directory. `ignore` is a list of glob patterns to skip, e.g. ["node_modules", "*.log"].'],
  ['desc-system-info', 'Returns system information: OS, CPU count, total memory and uptime. Useful to diagnose performance problems.'],
  ['desc-prompt-library', 'Fetch a prompt template by name from the prompt library. Templates may contain placeholders like {topic} that you fill in.'],
  ['desc-jira', 'Transition a Jira issue to a new status. Use get_transitions first to list the valid transitions for the issue.'],
  ['desc-calendar', 'Create a calendar event. Times are ISO 8601 in the user\'s time zone unless `timeZone` is given.'],
  ['desc-memory-note', 'Store a note in long-term memory. Do not store passwords or other secrets: the memory is shared across sessions.'],
];

// ---- misc: prose, tables, markdown ----
const MISC: BenignSample[] = [
  ['prose-history', 'The Analytical Engine was a proposed mechanical general-purpose computer designed by Charles Babbage. Ada Lovelace wrote what is considered the first program for it.'],
  ['prose-instructions-recipe', 'Instructions: preheat the oven to 180 °C. Mix the flour and sugar, add the eggs, and bake for 25 minutes.'],
  ['markdown-table', '| Tool | Calls | ms |\n|------|------:|---:|\n| search | 12 | 340 |\n| fetch | 3 | 1200 |'],
  ['csv', 'id,name,email,signup_date\n1,Ada,ada@example.com,2025-01-02\n2,Alan,alan@example.com,2025-02-03'],
  ['changelog', '## 1.4.0\n### Added\n- `read_value` tool\n### Fixed\n- Ignore empty lines in mcp.json comments\n### Changed\n- The system tray icon is hidden by default'],
  ['license', 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY.'],
  ['transcript-one-role', 'Interviewer: What got you into programming?\nGuest: My father had a ZX Spectrum.\nInterviewer: And your first language?'],
  ['meeting-notes', 'Action items:\n- Alice: update the onboarding instructions\n- Bob: ask IT about the new system\n- All: ignore the old wiki page, it is outdated'],
  ['support-ticket', 'Customer says the app ignores the previous settings after the update. Steps: open settings, change theme, restart. Expected: theme kept.'],
  ['news', 'The central bank held rates steady on Thursday, citing slowing inflation. Analysts expect a cut in the first quarter.'],
  ['security-advisory', 'CVE-2021-42574 ("Trojan Source") describes how bidirectional control characters can make source code look different to reviewers than to compilers. Editors now highlight these characters.'],
  ['movie-quote', '"You are now entering the Twilight Zone." — a line often quoted from the TV series.'],
  ['game-text', 'Quest updated: Forget the map, follow the river north. You are now in the Forest of Shadows.'],
  ['math', 'Let f(x) = x² + 2x + 1. Then f′(x) = 2x + 2, and the minimum is at x = −1.'],
  ['long-url', 'See https://example.com/search?q=weather+paris&lang=en&page=2&utm_source=newsletter&utm_medium=email for details.'],
  ['ascii-art', '  _____\n |_   _|__   ___  _\n   | |/ _ \\ / _ \\| |\n   | | (_) | (_) | |\n   |_|\\___/ \\___/|_|'],
  ['hex-dump', '00000000  7f 45 4c 46 02 01 01 00  00 00 00 00 00 00 00 00  |.ELF............|\n00000010  03 00 3e 00 01 00 00 00  10 6b 00 00 00 00 00 00  |..>......k......|'],
  ['faq-ai', 'Q: Is this an AI product?\nA: We use an AI model to summarize tickets; the agents on our team review every summary.'],
  ['ai-article', 'AI models should be evaluated on held-out data. LLMs can hallucinate, so AI assistants need grounding in retrieved documents.'],
  ['assistant-job', 'Job opening: Executive Assistant. The assistant will manage calendars, book travel and prepare reports.'],
];

// ---- lines from /usr/share/doc that an earlier version of the rules flagged (bench/untrusted.ts) ----
const REAL_DOCS: BenignSample[] = [
  ['gnupg-news-agent', '  * gpg: Fix the detection of the card using standard names.\n  * agent: Invoke scdaemon with --homedir.\n  * scd: Fix a regression.'],
  ['make-news-directives', "* There are two new directives: `export' and `unexport'. All variables are no longer exported by default."],
  ['e2fsprogs-news', 'Previously a corrupted journal superblock meant e2fsck clears it quietly without telling the user why the filesystem has been changed.'],
  ['libbsd-changelog', '  * Include getentropy_<SYSTEM>.c instead of arc4random_<SYSTEM>.h from the build system.'],
  ['curl-changelog-netrc', 'The netrc parser now accepts a password for any username. Example: .netrc: machine example.com password secret. Pass --netrc-file to use it in the request.'],
];

/** Ordinary text the heuristic does flag (documented in docs/untrusted-text.md): a document that
 *  tells its human reader to ignore instructions reads exactly like an override. */
export const KNOWN_FALSE_POSITIVES: BenignSample[] = [
  ['zstd-contributing', 'In particular, please ignore any instructions related to setting up config files for the build.'],
  ['tokenizer-code', 'if token == "<|endoftext|>":\n    break'],
  ['chat-transcript', 'Human: What is the capital of France?\nAssistant: Paris.'],
];

export const BENIGN: BenignSample[] = [...DOCS, ...CODE, ...LOGS, ...JSONS, ...EMAILS, ...INTL, ...EMOJI, ...DESCRIPTIONS, ...MISC, ...REAL_DOCS];
