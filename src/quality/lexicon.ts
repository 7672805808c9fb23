/**
 * Word lists the quality rules use, per language, as DATA (design.md,
 * "Decisions" > "Quality": rules must work beyond English; prefer structure
 * over keywords, keep keyword lists per language).
 *
 * The rules lean on structure first (a clause after a dash or colon, a path,
 * a backticked command, a number); these lists only add what structure cannot
 * see. Languages: en, zh, ja, ko, ru, pt, es, de, fr, it, tr, id, vi — the
 * languages of the project corpus plus the most common others.
 *
 * Matching: phrases in scripts without word spaces (zh, ja, ko) match as
 * substrings; others match as whole words, case-insensitively (see `phraseRegex`).
 */

import { lazy } from '../_lazy.js';

/** Language code -> phrases. */
export type Lexicon = Readonly<Record<string, readonly string[]>>;

/**
 * Words that introduce a reason: "X because Y", "X, so Y", "X instead of Y".
 * A decision containing one (after some text) states its rationale.
 */
export const RATIONALE_MARKERS: Lexicon = {
  en: [
    'because',
    'since',
    'so that',
    'so',
    'as it',
    'as they',
    'as we',
    'as this',
    'due to',
    'given',
    'otherwise',
    'in order to',
    'to avoid',
    'to keep',
    'to prevent',
    'to allow',
    'to make',
    'to reduce',
    'to support',
    'to ensure',
    'over',
    'instead of',
    'rather than',
    'vs',
    'versus',
    'not',
    'why',
    'reason',
    'rationale',
    'motivation',
    'trade-off',
    'tradeoff',
    'which',
    'avoids',
    'prevents',
    'ensures',
    'keeps',
    'allows',
    'enables',
    'lets',
    'requires',
    'needs',
    'means',
    'makes',
    'simpler',
    'faster',
    'cheaper',
    'safer',
    'easier',
    'better',
    'thus',
    'hence',
    'therefore',
    'caused',
    'breaks',
    'fails',
  ],
  zh: [
    '因为',
    '由于',
    '所以',
    '因此',
    '为了',
    '以便',
    '以免',
    '避免',
    '而不是',
    '而非',
    '原因',
    '理由',
    '考虑到',
    '否则',
    '导致',
    '便于',
    '保证',
    '确保',
    '更',
    '比',
    '不用',
    '不再',
    '代替',
    '取代',
  ],
  ja: [
    'ため',
    'なので',
    'から',
    '理由',
    'よりも',
    'より',
    'ではなく',
    'ので',
    '避ける',
    '防ぐ',
    'ように',
    '代わりに',
    '結果',
    'により',
    'によって',
  ],
  ko: [
    '때문',
    '인해',
    '위해',
    '위하여',
    '대신',
    '보다',
    '이유',
    '므로',
    '니까',
    '하여',
    '따라서',
    '그래서',
    '방지',
    '피하기',
    '않고',
    '아닌',
  ],
  ru: [
    'потому что',
    'так как',
    'поскольку',
    'чтобы',
    'из-за',
    'вместо',
    'а не',
    'причина',
    'т.к.',
    'т. к.',
    'иначе',
    'поэтому',
    'ради',
    'благодаря',
    'чем',
  ],
  pt: [
    'porque',
    'pois',
    'já que',
    'visto que',
    'para',
    'para evitar',
    'em vez de',
    'ao invés de',
    'motivo',
    'razão',
    'por causa',
    'devido',
    'senão',
    'assim',
    'portanto',
    'não',
  ],
  es: [
    'porque',
    'ya que',
    'puesto que',
    'para',
    'para evitar',
    'en lugar de',
    'en vez de',
    'motivo',
    'razón',
    'debido a',
    'por eso',
    'así',
    'no',
    'sino',
  ],
  de: [
    'weil',
    'da',
    'denn',
    'damit',
    'um',
    'statt',
    'anstatt',
    'anstelle',
    'wegen',
    'aufgrund',
    'grund',
    'begründung',
    'sonst',
    'deshalb',
    'daher',
    'nicht',
    'sodass',
    'so dass',
  ],
  fr: [
    'parce que',
    'car',
    'puisque',
    'pour',
    'pour éviter',
    'afin de',
    'au lieu de',
    'plutôt que',
    'raison',
    'à cause de',
    'sinon',
    'donc',
    'ainsi',
    'pas',
  ],
  it: [
    'perché',
    'poiché',
    'dato che',
    'per',
    'per evitare',
    'invece di',
    'anziché',
    'piuttosto che',
    'motivo',
    'ragione',
    'a causa di',
    'altrimenti',
    'quindi',
    'così',
    'non',
  ],
  tr: [
    'çünkü',
    'için',
    'yüzünden',
    'nedeniyle',
    'dolayı',
    'yerine',
    'sebep',
    'neden',
    'gerekçe',
    'aksi halde',
    'bu yüzden',
    'böylece',
    'değil',
  ],
  id: ['karena', 'sebab', 'agar', 'supaya', 'untuk', 'daripada', 'alih-alih', 'alasan', 'sehingga', 'jadi', 'bukan'],
  vi: ['vì', 'bởi vì', 'do', 'để', 'thay vì', 'lý do', 'nên', 'tránh', 'không'],
};

/**
 * Table column headers that hold a decision's reason
 * (`| Decision | Rationale |`, `| 决策 | 理由 |`).
 */
export const RATIONALE_HEADERS: Lexicon = {
  en: [
    'why',
    'rationale',
    'reason',
    'reasons',
    'reasoning',
    'because',
    'justification',
    'motivation',
    'notes',
    'trade-off',
    'tradeoff',
    'tradeoffs',
    'trade-offs',
    'impact',
    'context',
  ],
  zh: ['理由', '原因', '依据', '说明', '备注'],
  ja: ['理由', '根拠', '備考'],
  ko: ['이유', '근거', '비고'],
  ru: ['причина', 'обоснование', 'почему', 'зачем'],
  pt: ['motivo', 'razão', 'justificativa', 'porquê', 'por que'],
  es: ['motivo', 'razón', 'justificación', 'por qué'],
  de: ['grund', 'begründung', 'warum'],
  fr: ['raison', 'justification', 'pourquoi'],
  it: ['motivo', 'ragione', 'motivazione', 'perché'],
  tr: ['neden', 'gerekçe', 'sebep'],
  id: ['alasan'],
  vi: ['lý do'],
};

/**
 * Labels of a line that gives a decision's reason on its own
 * (`  Why: ...`, `  Rationale: ...`, `  理由：...`).
 */
export const RATIONALE_LABELS: Lexicon = {
  en: [
    'why',
    'rationale',
    'reason',
    'reasoning',
    'because',
    'justification',
    'motivation',
    'context',
    'trade-off',
    'tradeoff',
    'alternatives',
    'rejected',
    'considered',
  ],
  zh: ['理由', '原因', '依据', '背景'],
  ja: ['理由', '根拠', '背景'],
  ko: ['이유', '근거', '배경'],
  ru: ['причина', 'обоснование', 'почему'],
  pt: ['motivo', 'razão', 'justificativa', 'porquê'],
  es: ['motivo', 'razón', 'justificación'],
  de: ['grund', 'begründung', 'warum'],
  fr: ['raison', 'justification', 'pourquoi'],
  it: ['motivo', 'motivazione', 'perché'],
  tr: ['neden', 'gerekçe', 'sebep'],
  id: ['alasan'],
  vi: ['lý do'],
};

/**
 * Labels of a problem statement: a decision right after "Problem: ..." has
 * its reason stated before it ("Problem: X. Decision: Y").
 */
export const PROBLEM_LABELS: Lexicon = {
  en: ['problem', 'issue', 'context', 'background', 'symptom', 'root cause', 'cause'],
  zh: ['问题', '問題', '背景', '原因', '现象'],
  ja: ['問題', '課題', '背景', '原因', '症状'],
  ko: ['문제', '배경', '원인', '증상'],
  ru: ['проблема', 'контекст', 'причина', 'симптом'],
  pt: ['problema', 'contexto', 'causa'],
  es: ['problema', 'contexto', 'causa'],
  de: ['problem', 'kontext', 'hintergrund', 'ursache'],
  fr: ['problème', 'contexte', 'cause'],
  it: ['problema', 'contesto', 'causa'],
  tr: ['sorun', 'bağlam', 'neden'],
  id: ['masalah', 'konteks', 'penyebab'],
  vi: ['vấn đề', 'bối cảnh', 'nguyên nhân'],
};

/**
 * Vague phrases that hide the actual work ("continue working on X",
 * "fix stuff", "etc."). Checked only in the sections the next session acts
 * on (in progress, next steps, blocked, deferred).
 */
export const VAGUE_PHRASES: Lexicon = {
  en: [
    'continue working on',
    'continue work on',
    'keep working on',
    'continue with',
    'work on stuff',
    'fix stuff',
    'fix things',
    'fix some',
    'some issues',
    'some problems',
    'some bugs',
    'some stuff',
    'some things',
    'various',
    'misc',
    'miscellaneous',
    'stuff',
    'and so on',
    'and so forth',
    'etc',
    'etc.',
    'and more',
    'other things',
    'look into it',
    'clean up stuff',
    'finish up',
    'wrap up',
    'as needed',
    'and the like',
  ],
  zh: [
    '等等',
    '之类',
    '一些问题',
    '一些东西',
    '各种',
    '杂项',
    '继续完善',
    '继续开发',
    '继续工作',
    '若干问题',
    '其他问题',
    '相关问题',
  ],
  ja: ['など', 'などなど', '色々', 'いろいろ', '諸々', '様々', 'その他', '引き続き作業', '続きをやる'],
  ko: ['등등', '여러 가지', '기타', '계속 작업', '몇 가지 문제', '이것저것'],
  ru: [
    'и т.д.',
    'и т. д.',
    'и так далее',
    'и пр.',
    'и прочее',
    'разное',
    'прочее',
    'некоторые проблемы',
    'различные',
    'всякое',
    'продолжить работу над',
  ],
  pt: [
    'etc',
    'vários',
    'várias',
    'diversos',
    'diversas',
    'algumas coisas',
    'alguns problemas',
    'e assim por diante',
    'continuar trabalhando',
    'coisas',
  ],
  es: [
    'etc',
    'varios',
    'varias',
    'diversos',
    'algunas cosas',
    'algunos problemas',
    'y así sucesivamente',
    'seguir trabajando en',
    'cosas',
  ],
  de: [
    'usw',
    'usw.',
    'und so weiter',
    'diverse',
    'verschiedene',
    'einige probleme',
    'sonstiges',
    'weiter arbeiten an',
    'kram',
    'zeug',
  ],
  fr: [
    'etc',
    'divers',
    'diverses',
    'quelques problèmes',
    'et ainsi de suite',
    'continuer à travailler sur',
    'trucs',
    'choses',
  ],
  it: ['ecc', 'ecc.', 'eccetera', 'vari', 'varie', 'alcuni problemi', 'e così via', 'continuare a lavorare', 'cose'],
  tr: ['vb.', 'vesaire', 've benzeri', 'çeşitli', 'bazı sorunlar', 'bazı şeyler', 'üzerinde çalışmaya devam'],
  id: [
    'dll',
    'dll.',
    'dsb',
    'dsb.',
    'dan lain-lain',
    'dan sebagainya',
    'berbagai',
    'beberapa masalah',
    'lanjutkan mengerjakan',
  ],
  vi: ['v.v.', 'vân vân', 'một số vấn đề', 'linh tinh', 'tiếp tục làm'],
};

/**
 * Words that say which part works and which does not: an in-progress item
 * with one of these is specific even without a path or a number.
 */
export const STATUS_WORDS: Lexicon = {
  en: [
    'works',
    'not working',
    'passes',
    'passing',
    'fails',
    'failing',
    'failed',
    'broken',
    'crashes',
    'errors',
    'done',
    'complete',
    'completed',
    'implemented',
    'remaining',
    'missing',
    'blocked',
    'untested',
    'not yet',
    'half',
    'partially',
    'pending',
    'wip',
    'merged',
    'deployed',
    'reverted',
    'only',
    'except',
    'but',
    'fixed',
    'needs',
    'ready',
    'not ready',
    'clean',
    'dirty',
    'green',
    'red',
    'closed',
    'open',
    'configured',
    'enabled',
    'disabled',
    'live',
    'stable',
    'flaky',
    'started',
    'not started',
    'shipped',
    'landed',
    'verified',
    'unverified',
    'yes',
    'no',
    'ok',
    'todo',
    'in progress',
    'waiting',
    'stalled',
    'stuck',
    'succeeds',
    'succeeded',
    'timeout',
    'correctly',
    'properly',
    'intact',
    'resolved',
    'unresolved',
    'remain',
    'remains',
    'still',
    'already',
    'no longer',
    'confirmed',
    'exists',
    'installed',
    'not installed',
    'created',
    'documented',
    'tested',
    'supported',
    'unsupported',
    'finished',
    'unfinished',
    'outdated',
    'up to date',
    'blocking',
    'ships',
    'runs',
  ],
  zh: [
    '完成',
    '未完成',
    '进行中',
    '進行中',
    '失败',
    '失敗',
    '通过',
    '通過',
    '可用',
    '不可用',
    '报错',
    '報錯',
    '剩余',
    '剩餘',
    '缺少',
    '待',
    '尚未',
    '部分',
    '已',
    '还没',
    '還沒',
    '没有',
    '沒有',
    '正常',
    '乾淨',
    '干净',
    '开着',
    '開著',
    '合并',
    '合併',
  ],
  ja: [
    '完了',
    '未完了',
    '進行中',
    '失敗',
    '成功',
    '動作',
    '動く',
    '動かない',
    'エラー',
    '残り',
    '未実装',
    '実装済み',
    '一部',
    'まだ',
  ],
  ko: [
    '완료',
    '미완료',
    '진행 중',
    '진행중',
    '실패',
    '성공',
    '동작',
    '작동',
    '오류',
    '에러',
    '남은',
    '미구현',
    '구현됨',
    '일부',
    '아직',
  ],
  ru: [
    'работает',
    'не работает',
    'готово',
    'готов',
    'сделано',
    'осталось',
    'падает',
    'ошибка',
    'частично',
    'проходит',
    'не проходит',
    'в процессе',
    'ещё не',
    'еще не',
  ],
  pt: [
    'funciona',
    'não funciona',
    'pronto',
    'concluído',
    'feito',
    'falta',
    'faltando',
    'falha',
    'quebrado',
    'parcial',
    'passando',
    'pendente',
    'ainda não',
  ],
  es: [
    'funciona',
    'no funciona',
    'listo',
    'terminado',
    'hecho',
    'falta',
    'falla',
    'roto',
    'parcial',
    'pendiente',
    'todavía no',
  ],
  de: [
    'funktioniert',
    'geht',
    'fertig',
    'erledigt',
    'fehlt',
    'fehlschlägt',
    'kaputt',
    'teilweise',
    'offen',
    'noch nicht',
    'läuft',
  ],
  fr: ['fonctionne', 'marche', 'terminé', 'fait', 'manque', 'échoue', 'cassé', 'partiel', 'en cours', 'pas encore'],
  it: [
    'funziona',
    'non funziona',
    'pronto',
    'completato',
    'fatto',
    'manca',
    'fallisce',
    'rotto',
    'parziale',
    'in corso',
    'non ancora',
  ],
  tr: [
    'çalışıyor',
    'çalışmıyor',
    'tamamlandı',
    'bitti',
    'eksik',
    'başarısız',
    'kısmen',
    'bekliyor',
    'devam ediyor',
    'henüz',
  ],
  id: ['berfungsi', 'tidak berfungsi', 'selesai', 'belum', 'gagal', 'sebagian', 'tertunda', 'sedang'],
  vi: ['hoạt động', 'xong', 'hoàn thành', 'chưa', 'lỗi', 'thất bại', 'một phần', 'đang'],
};

/**
 * Answers that mean "nothing here, on purpose". An explicit "None" is
 * information (nothing is blocked), so `required-sections` accepts a
 * section holding only one of these, and item rules skip it.
 */
export const EMPTY_ANSWERS: readonly string[] = [
  'none',
  'none.',
  'none yet',
  'nothing',
  'nothing yet',
  'nothing blocked',
  'no blockers',
  'n/a',
  'na',
  'nil',
  '-',
  '—',
  '–',
  'no',
  'not applicable',
  'none at this time',
  'none so far',
  'none known',
  'no decisions',
  'no new decisions',
  '无',
  '暂无',
  '没有',
  '無し',
  'なし',
  '特になし',
  '없음',
  '해당 없음',
  'нет',
  'нету',
  'отсутствует',
  'nenhum',
  'nenhuma',
  'nada',
  'keine',
  'keiner',
  'nichts',
  'ninguno',
  'ninguna',
  'aucun',
  'aucune',
  'rien',
  'nessuno',
  'niente',
  'yok',
  'hiçbiri',
  'tidak ada',
  'không có',
  'không',
];

/**
 * First words that make a sentence not an instruction (English only: other
 * languages are judged by their concrete target alone). "We should look at
 * X" or "Maybe X" is not one imperative step.
 */
export const NON_IMPERATIVE_STARTS: readonly string[] = [
  'i',
  'we',
  'you',
  'they',
  'he',
  'she',
  'it',
  'its',
  "it's",
  'this',
  'that',
  'these',
  'those',
  'there',
  "there's",
  'the',
  'a',
  'an',
  'maybe',
  'perhaps',
  'possibly',
  'probably',
  'might',
  'could',
  'would',
  'should',
  'may',
  'someone',
  'somebody',
  'hopefully',
  'ideally',
  'eventually',
  'tbd',
  'todo',
  'unknown',
  'unclear',
  'not',
  'no',
  'nothing',
  'some',
  'various',
  'misc',
  'stuff',
  'things',
  'whatever',
];

/** Words on a line that say a named path is gone or not yet written (`stale-reference` skips the line). */
export const PATH_CHANGE_WORDS: Lexicon = {
  en: [
    'delete',
    'deleted',
    'deleting',
    'remove',
    'removed',
    'removing',
    'rename',
    'renamed',
    'move',
    'moved',
    'drop',
    'dropped',
    'retire',
    'retired',
    'archived',
    'replaced',
    'replace',
    'create',
    'created',
    'creating',
    'add',
    'adding',
    'new',
    'will',
    'planned',
    'todo',
    'write',
    'generate',
    'generated',
    'gitignored',
    'ignored',
    'untracked',
    'former',
    'formerly',
    'old',
    'legacy',
    'was',
    'no longer',
    'instead of',
    'stale',
    'missing',
    'absent',
    'not found',
    'does not exist',
    "doesn't exist",
  ],
  zh: [
    '删除',
    '删掉',
    '移除',
    '重命名',
    '改名',
    '移动',
    '迁移',
    '新建',
    '创建',
    '新增',
    '添加',
    '计划',
    '旧',
    '原',
    '不存在',
  ],
  ja: ['削除', '除去', '名前変更', '移動', '新規', '作成', '追加', '予定', '旧', '存在しない'],
  ko: ['삭제', '제거', '이름 변경', '이동', '신규', '생성', '추가', '예정', '기존', '없음'],
  ru: ['удал', 'переимен', 'перенес', 'перемест', 'созда', 'добав', 'новый', 'старый', 'нет файла'],
  pt: [
    'removido',
    'removida',
    'remover',
    'excluído',
    'excluir',
    'apagado',
    'renomeado',
    'movido',
    'criar',
    'criado',
    'novo',
    'nova',
    'adicionar',
    'antigo',
  ],
  es: [
    'eliminado',
    'eliminar',
    'borrado',
    'renombrado',
    'movido',
    'crear',
    'creado',
    'nuevo',
    'nueva',
    'añadir',
    'antiguo',
  ],
  de: [
    'gelöscht',
    'löschen',
    'entfernt',
    'entfernen',
    'umbenannt',
    'verschoben',
    'erstellen',
    'erstellt',
    'neu',
    'neue',
    'hinzufügen',
    'alt',
  ],
  fr: ['supprimé', 'supprimer', 'renommé', 'déplacé', 'créer', 'créé', 'nouveau', 'nouvelle', 'ajouter', 'ancien'],
  it: [
    'eliminato',
    'rimosso',
    'rimuovere',
    'rinominato',
    'spostato',
    'creare',
    'creato',
    'nuovo',
    'nuova',
    'aggiungere',
    'vecchio',
  ],
  tr: [
    'silindi',
    'sil',
    'kaldırıldı',
    'yeniden adlandırıldı',
    'taşındı',
    'oluştur',
    'oluşturuldu',
    'yeni',
    'ekle',
    'eski',
  ],
  id: ['dihapus', 'hapus', 'diganti nama', 'dipindah', 'buat', 'dibuat', 'baru', 'tambah', 'lama'],
  vi: ['xóa', 'đổi tên', 'di chuyển', 'tạo', 'mới', 'thêm', 'cũ'],
};

/** Scripts written without spaces between words: their phrases match as substrings. */
const NO_WORD_SPACES = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/;
const WORD = lazy(() => /[\p{L}\p{M}\p{N}_]+/gu);
/** `WORD` for text whose letters, marks and digits are ASCII (see `ASCII_LETTERS_ONLY`). */
const ASCII_WORD = /[A-Za-z0-9_]+/g;

/**
 * Text whose letters, marks and digits are all ASCII: ASCII plus the
 * punctuation handoffs use (dashes, quotes, ellipsis, bullet, arrows, check
 * marks), none of them a letter, mark or digit. In such text `\p{L}` is
 * `[A-Za-z]`, `\p{N}` is `[0-9]` and `\p{M}` matches nothing, so ASCII
 * regexes give the same matches: the matchers here and several rules use
 * them, as each Unicode-class regex costs ~0.2-1 ms to compile on a cold
 * start. test/quality/rules.test.ts checks the set.
 */
export const ASCII_LETTERS_ONLY =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: all of ASCII is allowed, controls included
  /^[\x00-\x7f\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u2192\u2190\u2713\u2714\u2705\u274c]*$/;

/**
 * Letters (or marks) in every Unicode version: Latin with diacritics, Greek,
 * Cyrillic, Vietnamese, kana, CJK, Hangul. A phrase holding one has a word
 * that `ASCII_LETTERS_ONLY` text cannot contain. test/quality/rules.test.ts
 * checks that each is `\p{L}` or `\p{M}`.
 */
const NON_ASCII_LETTER =
  /[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u0388-\u038a\u038c\u038e-\u03a1\u03a3-\u03f5\u0400-\u0481\u0483-\u052f\u1e00-\u1eff\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff\uac00-\ud7a3]/;

/** Exported for tests only. */
export const _LETTER_CLASSES = { ASCII_LETTERS_ONLY, NON_ASCII_LETTER };

/** Where a phrase occurs in a text. */
export interface PhraseMatch {
  /** Offset in the text. */
  index: number;
  /** The matched text as written. */
  text: string;
}

/** Finds the first phrase of a lexicon in a text. */
export interface PhraseMatcher {
  find(text: string): PhraseMatch | null;
  test(text: string): boolean;
}

/**
 * Compiles phrases of every language in `lexicon` into a matcher: whole
 * words, case-insensitive, punctuation ignored ("etc." = "etc", "и т.д." =
 * "и т д") for spaced scripts; substrings for CJK.
 *
 * Word lookup in a map instead of one big alternation regex: a case-
 * insensitive Unicode regex of ~400 alternatives with look-behinds costs
 * milliseconds per line in V8, this costs microseconds.
 *
 * Cold-start economy: phrases with a non-ASCII letter are split into words
 * only when a text that could hold them (one with non-ASCII letters) is
 * searched; until then, and for such text, words are found with ASCII
 * regexes, which compile in a fraction of the Unicode ones.
 */
export function compilePhrases(lexicon: Lexicon | readonly string[]): PhraseMatcher {
  const phrases: readonly string[] = Array.isArray(lexicon) ? lexicon : Object.values(lexicon as Lexicon).flat();
  const substrings: string[] = [];
  const byFirst = new Map<string, string[][]>();
  const deferred: string[] = [];
  const add = (p: string, word: RegExp) => {
    const words = (p.match(word) ?? []).map((w: string) => w.toLowerCase());
    if (words.length === 0) return;
    const list = byFirst.get(words[0]!) ?? [];
    list.push(words);
    byFirst.set(words[0]!, list);
  };
  // Longest phrase first, so "continue working on" wins over "continue" (phrases of one
  // length that both match at a word are the same words: their order does not matter).
  const sortBuckets = () => {
    for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  };
  for (const p of new Set(phrases)) {
    if (NO_WORD_SPACES.test(p)) substrings.push(p.toLowerCase());
    else if (ASCII_LETTERS_ONLY.test(p)) add(p, ASCII_WORD);
    else if (NON_ASCII_LETTER.test(p)) deferred.push(p);
    else add(p, WORD());
  }
  sortBuckets();
  const find = (text: string): PhraseMatch | null => {
    let best: PhraseMatch | null = null;
    // Every substring phrase holds a CJK character: a text without one cannot contain any.
    if (substrings.length > 0 && NO_WORD_SPACES.test(text)) {
      const lower = text.toLowerCase();
      for (const sub of substrings) {
        const at = lower.indexOf(sub);
        if (at !== -1 && (best === null || at < best.index))
          best = { index: at, text: text.slice(at, at + sub.length) };
      }
    }
    const ascii = ASCII_LETTERS_ONLY.test(text);
    if (!ascii && deferred.length > 0) {
      for (const p of deferred.splice(0)) add(p, WORD());
      sortBuckets();
    }
    const tokens = [...text.matchAll(ascii ? ASCII_WORD : WORD())].map((m) => ({
      word: m[0].toLowerCase(),
      start: m.index,
      end: m.index + m[0].length,
    }));
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (best !== null && t.start >= best.index) break;
      const candidates = byFirst.get(t.word);
      if (!candidates) continue;
      for (const words of candidates) {
        if (words.every((w, k) => tokens[i + k]?.word === w)) {
          const last = tokens[i + words.length - 1]!;
          return { index: t.start, text: text.slice(t.start, last.end) };
        }
      }
    }
    return best;
  };
  return { find, test: (text) => find(text) !== null };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Assertion that no letter, digit or `_` comes before: the start of a word. */
export const WORD_START = '(?<![\\p{L}\\p{N}_])';
/** Assertion that no letter, digit or `_` comes after: the end of a word. */
export const WORD_END = '(?![\\p{L}\\p{N}_])';

const STARTS_WITH_WORD = lazy(() => /^[\p{L}\p{N}]/u);
const ENDS_WITH_WORD = lazy(() => /[\p{L}\p{N}]$/u);

/**
 * Word-boundary assertions for {@link phrasePattern}: `start` goes before
 * phrases that begin with a letter or digit, `end` after phrases that end
 * with one. Pass weaker ones where the surrounding pattern already implies
 * part of the boundary (`''` for a pattern anchored at `^`).
 */
export interface PhraseBoundary {
  start: string;
  end: string;
}

/**
 * The source of a regex matching any phrase of `lexicon`: whole words for
 * spaced scripts (a letter or digit at a phrase's edge must not touch
 * another one), substrings for CJK; a space in a phrase matches any run of
 * whitespace. Longest phrases first within each group.
 *
 * Phrases share ONE boundary assertion per group
 * (`(?<!B)(?:a|b|c)(?!B)`), the shape of `phrasePattern` in
 * src/resume/_text.ts: V8 compiles a case-insensitive Unicode property class
 * per occurrence, and one assertion per phrase made a 40-phrase label list
 * cost ~40 ms to compile on first use (the per-phrase form it replaces).
 * Phrases beginning or ending with punctuation ("etc.", "т.к.") get the
 * assertion only on their word side, as before; an empty lexicon never matches.
 *
 * @param boundary assertions to use instead of `WORD_START` / `WORD_END`
 * @example new RegExp(phrasePattern(['so that', 'because']), 'iu').test('X, because Y') // true
 */
export function phrasePattern(
  lexicon: Lexicon | readonly string[],
  boundary: PhraseBoundary = { start: WORD_START, end: WORD_END },
): string {
  const phrases: readonly string[] = Array.isArray(lexicon) ? lexicon : Object.values(lexicon as Lexicon).flat();
  // [word start and end, word start only, word end only, neither], then CJK substrings.
  const groups: string[][] = [[], [], [], []];
  const cjk: string[] = [];
  for (const p of [...new Set(phrases)].sort((a, b) => b.length - a.length)) {
    const body = escapeRegex(p).replace(/ /g, '\\s+');
    if (NO_WORD_SPACES.test(p)) {
      cjk.push(body);
      continue;
    }
    const atStart = STARTS_WITH_WORD().test(p);
    const atEnd = ENDS_WITH_WORD().test(p);
    groups[atStart ? (atEnd ? 0 : 1) : atEnd ? 2 : 3]!.push(body);
  }
  const parts: string[] = [];
  groups.forEach((list, g) => {
    if (list.length === 0) return;
    const start = g === 0 || g === 1 ? boundary.start : '';
    const end = g === 0 || g === 2 ? boundary.end : '';
    parts.push(`${start}(?:${list.join('|')})${end}`);
  });
  if (cjk.length > 0) parts.push(`(?:${cjk.join('|')})`);
  return parts.length > 0 ? parts.join('|') : '(?!)';
}

/**
 * One case-insensitive regex matching any phrase of `lexicon` (see
 * {@link phrasePattern}). For short lists and anchored labels; use
 * `compilePhrases` to search long texts.
 */
export function phraseRegex(lexicon: Lexicon | readonly string[], flags = 'iu'): RegExp {
  return new RegExp(phrasePattern(lexicon), flags);
}
