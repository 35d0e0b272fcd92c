// The text rules of the injection scanner: phrases that talk to the model and chat-template markup.
// Invariant: every regex is global, has no unbounded nested quantifier (gaps are {0,n} words), so a
// scan stays linear; each rule's benign look-alikes are in test/unit/untrusted/corpus/benign.ts.
import type { InjectionKind } from './types';

export interface TextRule {
  id: string;
  kind: InjectionKind;
  re: RegExp;
  /** Extra check on a match (the whole normalized text and the match); false drops it. */
  accept?: (text: string, m: RegExpExecArray) => boolean;
}

/** Up to `n` words between two words (bounded, so backtracking is too). */
const gap = (n: number): string => `(?:[^\\w\\n]+\\w+){0,${n}}?[^\\w\\n]+`;

const AI = `(?:AI|A\\.I\\.|LLMs?|large\\s+language\\s+models?|language\\s+models?|AI\\s+(?:assistants?|agents?|models?|systems?)|assistants?|agents?|chatbots?|bots?|copilots?|models?)`;

/** Words for an AI that ordinary text rarely uses for anything else (no bare "agent", "bot", "model"). */
const AI_STRICT = `(?:AI|LLMs?|large\\s+language\\s+models?|language\\s+models?|AI\\s+(?:assistants?|agents?|models?|systems?|tools?))`;

const SENSITIVE_DATA =
  '(?:conversation(?:\\s+history)?|chat\\s+(?:history|logs?|transcript)|message\\s+history|previous\\s+messages|system\\s+prompt|secrets?|credentials?|api[\\s_-]?keys?|passwords?|private\\s+keys?|ssh\\s+keys?|environment\\s+variables|env\\s+vars?|cookies|session\\s+cookies)';

/** A query or path part filled from a template with the conversation or secrets: `?q={conversation}`. */
const URL_PLACEHOLDER =
  /[?&#/=](?:\{\{?|\[|<|\$\{?|%7B)\s*(?:conversation|chat(?:_?history)?|history|messages|system_?prompt|context|memory|secrets?|credentials?|summary|user_?data|previous_?messages|ssh_?key)/i;

export const TEXT_RULES: readonly TextRule[] = [
  // ---- override ----
  {
    id: 'ignore_instructions',
    kind: 'override',
    re: new RegExp(
      `\\b(?:ignore|disregard|forget|override|bypass|abandon|neglect)${gap(3)}(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|existing|all|any|your|system|developer)${gap(2)}(?:instructions?|prompts?|directives?|guidelines|guidance|programming|orders|system\\s+messages?)\\b`,
      'gi',
    ),
  },
  {
    id: 'ignore_above_and',
    kind: 'override',
    re: /\b(?:ignore|disregard)\s+(?:all\s+(?:of\s+)?|everything\s+)?(?:the\s+)?(?:above|previous|preceding|prior)(?:\s+(?:text|content|input|directions))?\s*,?\s*(?:and\s+)?(?:instead|say|print|output|respond|reply|write|translate)\b/gi,
  },
  {
    id: 'forget_everything',
    kind: 'override',
    re: /\bforget\s+(?:everything|all(?:\s+that)?)\s+(?:above|before|prior|(?:you\s+)?(?:were|have\s+been|was)\s+(?:told|given))/gi,
  },
  {
    id: 'ignore_instructions_i18n',
    kind: 'override',
    re: /\b(?:ignoriere|vergiss)\s+(?:alle\s+)?(?:vorherigen|bisherigen|obigen)\s+(?:Anweisungen|Instruktionen)|\bignor(?:e|ez)\s+(?:toutes\s+)?les\s+instructions\s+(?:précédentes|ci-dessus)|\bignora\s+(?:todas\s+)?las\s+instrucciones\s+(?:anteriores|previas)|игнорируй(?:те)?\s+(?:все\s+)?(?:предыдущие|прошлые)\s+(?:инструкции|указания)|忽略(?:之前|以上|先前|上面)的?(?:所有)?(?:指令|指示|说明)|以前の指示を無視/gi,
  },
  {
    id: 'you_are_now',
    kind: 'override',
    re: new RegExp(
      `\\byou\\s+are\\s+now\\s+(?:(?:in\\s+)?(?:DAN|god|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|evil|sudo)\\s+mode|(?:(?:a|an|the)\\s+)?(?:\\w+\\s+){0,3}?(?:assistant|AI|chatbot|persona|jailbroken|DAN|unrestricted|unfiltered|uncensored|evil\\s+\\w+|hacker)\\b)|\\byou\\s+are\\s+no\\s+longer\\s+(?:an?\\s+)?(?:AI|assistant|bound|restricted|limited|required\\s+to|Claude|ChatGPT|${AI})\\b|\\bfrom\\s+now\\s+on,?\\s+you\\s+(?:will|must|shall|should|are\\s+to|are\\s+going\\s+to)\\s+(?:only\\s+)?(?:act|respond|answer|reply|behave|ignore|obey|pretend)\\b`,
      'gi',
    ),
  },
  {
    id: 'new_instructions',
    kind: 'override',
    re: /\b(?:new|real|actual|true|secret|hidden|revised|overriding)\s+(?:system\s+)?(?:instructions?|system\s+prompt)\s*:|\byour\s+(?:new|real|true|actual)\s+(?:task|goal|instructions?|objective|purpose|mission)\s+(?:is|are)\b/gi,
  },
  {
    id: 'repeat_words_above',
    kind: 'override',
    re: /\brepeat\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:words|text|everything|instructions|lines)\s+(?:above|before\s+this|you\s+were\s+given)\b/gi,
  },
  {
    id: 'system_prompt_request',
    kind: 'override',
    re: /\b(?:reveal|print|output|repeat|leak|disclose|dump|recite|echo|tell\s+me|ignore|override|bypass|forget)\s+(?:me\s+)?(?:your|the|its)\s+(?:\w+\s+)?(?:system\s+prompt|initial\s+(?:instructions|prompt)|hidden\s+(?:instructions|prompt)|original\s+instructions|developer\s+(?:message|instructions))|\bsystem\s+prompt\s+override\b/gi,
  },
  // ---- concealment ----
  {
    id: 'hide_from_user',
    kind: 'concealment',
    re: /\b(?:do\s+not|don['’]?t|never|must\s+not|should\s+not|shouldn['’]t)\s+(?:\w+\s+){0,2}?(?:tell|inform|mention|reveal|disclose|notify|alert)\s+(?:this\s+|it\s+|anything\s+|them\s+)?(?:(?:about|of)\s+(?:this|it)\s+)?(?:to\s+)?(?:the\s+)?(?:user|human)\b(?!['’]s|\s+to\b|\s+how\b)|\bwithout\s+the\s+user['’]?s?\s+(?:knowledge|knowing|noticing)\b|\bthe\s+(?:user|human)\s+(?:must|should|will|may)\s+(?:not|never)\s+(?:know|notice|find\s+out|be\s+(?:told|informed|aware|notified))\b|\b(?:keep|hide)\s+(?:this|these|it|them)\s+(?:\w+\s+)?(?:secret\s+|hidden\s+)?from\s+the\s+(?:user|human)\b|\bdo\s+not\s+(?:mention|reveal|disclose|acknowledge)\s+(?:these|this|the)\s+(?:instructions?|message|note|step|tool\s+description)/gi,
  },
  // ---- exfiltration ----
  {
    id: 'send_secrets_to_url',
    kind: 'exfiltration',
    re: new RegExp(
      `\\b(?:send|post|upload|forward|transmit|exfiltrate|leak|submit|email|mail|append|include|attach|encode|summari[sz]e|collect|copy)(?:ing)?${gap(6)}${SENSITIVE_DATA}\\b${gap(8)}(?:to|at|into)\\s+(?:https?://|(?:the\\s+)?(?:following\\s+)?(?:url|endpoint|webhook|server|address)\\b|[\\w.+-]+@[\\w-]+\\.[\\w.]+)`,
      'gi',
    ),
  },
  {
    id: 'url_template_exfil',
    kind: 'exfiltration',
    // The URL is matched once (no backtracking inside it); the placeholder is looked for in the match.
    re: /https?:\/\/[^\s)"'<>]{1,2048}/gi,
    accept: (_text, m) => URL_PLACEHOLDER.test(m[0]),
  },
  {
    id: 'secrets_in_arguments',
    kind: 'exfiltration',
    re: new RegExp(
      `\\b(?:pass|put|include|insert|send|provide|add|supply|embed)${gap(6)}${SENSITIVE_DATA}${gap(6)}(?:as|in|into|inside|to|via)\\s+(?:the\\s+|a\\s+|an\\s+|its\\s+)?\\\\?['"\`]?\\w*\\\\?['"\`]?\\s*(?:parameter|param|argument|arg|field|sidenote|notes?|metadata)\\b`,
      'gi',
    ),
  },
  {
    id: 'pipe_secrets_to_network',
    kind: 'exfiltration',
    re: /\b(?:env|printenv|set|cat\s+\S*(?:\.ssh|\.aws|\.env|\.npmrc|\.netrc|credentials|id_rsa|id_ed25519)\S*)\s*\|\s*(?:curl|wget|nc|ncat|netcat)\b/gi,
  },
  // ---- tool requests ----
  {
    id: 'covert_tool_call',
    kind: 'tool_request',
    re: new RegExp(
      `\\b(?:call|invoke|run|use|execute|trigger)\\s+(?:the\\s+)?[\`'"]?[\\w.-]+[\`'"]?\\s+(?:tool|function)\\b${gap(12)}(?:without\\s+(?:asking|confirmation|confirming|telling|informing|permission|approval)|silently|secretly|quietly|before\\s+(?:responding|answering|replying|you\\s+(?:respond|answer|reply)))|\\b(?:you\\s+)?must\\s+(?:now\\s+|immediately\\s+|first\\s+|also\\s+)?(?:call|invoke|use|run)\\s+(?:the\\s+)?[\`'"]?[\\w.-]+[\`'"]?\\s+(?:tool|function)\\s+with${gap(5)}(?:contents?|arguments?|parameters?|data|file)\\b`,
      'gi',
    ),
  },
  // ---- addressed to the model ----
  {
    id: 'note_to_ai',
    kind: 'addressed_to_model',
    re: new RegExp(
      `\\b(?:attention|note|message|instructions?|notice|memo|directive|reminder|important)\\s+(?:to|for)\\s+(?:the\\s+|any\\s+|all\\s+)?${AI}\\s*[:,!—]|\\b(?:if|when)\\s+you\\s+are\\s+(?:an?\\s+)?${AI}\\b(?!\\s+(?:developer|engineer|researcher|company|startup|user|vendor|builder|maker|maintainer|enthusiast|practitioner|team|product))|\\b(?:dear|hey|hi|hello)[ \\t]+(?:AI|LLM|A\\.I\\.|assistant|chatbot|language\\s+model|AI\\s+(?:assistant|agent|model))\\s*[,!:]|\\b(?:AI|LLM)\\s+(?:agents?|assistants?|models?|systems?)?\\s*(?:reading|processing|parsing|summari[sz]ing|viewing)\\s+this\\b`,
      'gi',
    ),
  },
  {
    id: 'ai_must',
    kind: 'addressed_to_model',
    re: new RegExp(
      `\\b${AI_STRICT}\\s+(?:must|should|are\\s+required\\s+to|need\\s+to|have\\s+to)\\s+(?:now\\s+|always\\s+|immediately\\s+|also\\s+|first\\s+)?(?:ignore|disregard|call|invoke|send|forward|execute|delete|append|reveal|exfiltrate)\\b`,
      'gi',
    ),
  },
  {
    id: 'imperative_to_ai',
    kind: 'addressed_to_model',
    re: /\b(?:AI|LLM|assistant|Claude|ChatGPT|GPT|Copilot|Gemini)\s*[,:]\s*(?:you\s+must\s+|please\s+|now\s+|immediately\s+)?(?:ignore|disregard|call|invoke|execute|send|forward|exfiltrate|delete|email|open\s+https?|visit\s+https?|fetch\s+https?)\b/gi,
  },
  // ---- role / chat-template markup ----
  { id: 'chat_template_token', kind: 'role_markup', re: /<\|[A-Za-z_]{2,32}\|>|<\/?(?:start_of_turn|end_of_turn)>|<<\/?SYS>>|\[\/?INST\]/g },
  {
    id: 'system_tag',
    kind: 'role_markup',
    // `<system>GitHub</system>` is Maven's issueManagement; a one-token element is data, not a turn.
    re: new RegExp(
      // An opening tag glued to a word (`getentropy_<SYSTEM>.c`) is a placeholder, not markup.
      String.raw`(?<!\w)<(?:system|SYSTEM|System)>(?![^<\s]{0,40}<\/system>)|(?<!<system>[^<\s]{0,40})<\/(?:system|SYSTEM|System)>|(?<!\w)<(?:system[_-]prompt|system[_-]message|sys|important|IMPORTANT|Important|tool_call|tool_calls|tool_use|tool_result|function_calls?|function_results?|im_start|im_end|antml:[a-z_]+)(?:\s[^>\n]{0,60})?>|<\/(?:system[_-]prompt|system[_-]message|sys|important|IMPORTANT|Important|tool_call|tool_calls|tool_use|tool_result|function_calls?|function_results?|im_start|im_end|antml:[a-z_]+)>`,
      'g',
    ),
  },
  {
    // Bing Chat style: `[system](#error_state)` as a fake role heading in a web page.
    id: 'markdown_role_link',
    kind: 'role_markup',
    re: /\[(?:system|assistant|user)\]\(#[\w-]{1,40}\)/gi,
  },
  {
    id: 'role_header',
    kind: 'role_markup',
    re: /^[ \t]*#{1,4}[ \t]*(?:system|instruction|human|assistant)[ \t]*:|^[ \t]*\[(?:SYSTEM|ADMIN)\s+(?:MESSAGE|NOTE|OVERRIDE|INSTRUCTIONS?|PROMPT)\]/gim,
  },
  {
    id: 'fake_boundary',
    kind: 'role_markup',
    re: /^[ \t=#*<>[(\-]{0,10}(?:end|close|begin|start)\s+(?:of\s+)?(?:the\s+)?(?:tool\s+(?:result|output|response)|untrusted(?:\s+data)?|user\s+input|system\s+(?:prompt|message)|function\s+(?:result|output))\b|<<<\s*(?:end-)?untrusted-data/gim,
  },
];

/** Lines that open with a chat turn: flagged only when a Human/Assistant turn meets another role. */
export const TURN_MARKER = /^[ \t]*(Human|HUMAN|Assistant|ASSISTANT|User|USER|System|SYSTEM)[ \t]*:/gm;

/** Files an injected instruction asks the model to read and pass on. `.pub` keys are public. */
export const SENSITIVE_FILE =
  /(?:~|\$HOME|%USERPROFILE%)?[\\/]?\.ssh[\\/](?:id_[a-z0-9]+|authorized_keys|config)\b(?!\.pub)|\bid_(?:rsa|dsa|ecdsa|ed25519)\b(?!\.pub)|\.aws[\\/]credentials|\.cursor[\\/]mcp\.json|\bmcp\.json\b|claude_desktop_config\.json|(?<![\w.])\.env(?![\w.])|\.npmrc\b|\.netrc\b|\.git-credentials\b|\.docker[\\/]config\.json|\.kube[\\/]config\b|\/etc\/(?:passwd|shadow)\b|\.(?:bash|zsh)_history\b|\.config[\\/]gcloud\b/gi;

/** An instruction to read a file and pass it on: a verb shortly before the sensitive path and a
 *  sink (a parameter, a request, a URL) after it. */
export const READ_VERB = /\b(?:call|use|read|cat|open|load|fetch|get|include|pass|send|upload|post|attach|append|provide|forward|transmit|exfiltrate|embed|paste|put)\b/i;
export const PASS_SINK =
  /\b(?:as|in|into|inside|to|via)\s+(?:the\s+|a\s+|an\s+|its\s+|your\s+)?\\?['"`]?\w*\\?['"`]?\s*(?:parameter|param|argument|arg|field|sidenote|notes?|metadata|request|body|query|header|comment|response|reply)\b|https?:\/\//i;
export const VERB_BEFORE_CHARS = 80;
export const SINK_AFTER_CHARS = 200;

/** Base64 (standard or URL-safe) blocks long enough to hide a sentence. */
// The lookbehind makes a match start only at a block boundary: without it every position inside a
// long word is retried (quadratic in the word's length).
export const BASE64_BLOCK = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}/g;
