import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'zh' | 'en';

/** Every text of the console: Simplified Chinese first, English beside it. */
const MESSAGES = {
  appName: ['政务数据共享平台', 'Government data sharing platform'],
  switchLang: ['English', '中文'],
  switchLangLabel: ['Switch to English', '切换到中文'],
  skipToContent: ['跳到正文', 'Skip to content'],
  mainNav: ['主导航', 'Main navigation'],
  catalogue: ['数据目录', 'Catalogue'],
  signIn: ['登录', 'Sign in'],
  signOut: ['退出', 'Sign out'],
  signedInAs: ['当前用户', 'Signed in as'],
  loading: ['正在加载…', 'Loading…'],
  nothing: ['暂无记录', 'Nothing here yet'],
  search: ['搜索', 'Search'],
  keyword: ['关键词', 'Keyword'],
  department: ['部门', 'Department'],
  classification: ['目录分类', 'Classification'],
  theme: ['主题', 'Theme'],
  sharingType: ['共享类型', 'Sharing type'],
  mode: ['共享方式', 'Sharing mode'],
  modes: ['共享方式', 'Modes'],
  any: ['全部', 'Any'],
  code: ['资源代码', 'Code'],
  name: ['名称', 'Name'],
  summary: ['摘要', 'Summary'],
  items: ['信息项', 'Data items'],
  item: ['信息项', 'Item'],
  title: ['标题', 'Title'],
  description: ['说明', 'Description'],
  type: ['类型', 'Type'],
  sensitivity: ['敏感级别', 'Sensitivity'],
  conditions: ['共享条件', 'Sharing conditions'],
  legalBasis: ['法律依据', 'Legal basis'],
  updateCycle: ['更新周期', 'Update cycle'],
  provider: ['提供部门', 'Provided by'],
  format: ['格式', 'Format'],
  publishedOn: ['发布日期', 'Published on'],
  downloadDcat: ['下载 DCAT-AP 记录', 'Download the DCAT-AP record'],
  morePages: ['下一页', 'Next page'],
  firstPage: ['第一页', 'First page'],
  UNCONDITIONAL: ['无条件共享', 'Unconditional'],
  CONDITIONAL: ['有条件共享', 'Conditional'],
  NOT_SHARED: ['不予共享', 'Not shared'],
  QUERY: ['接口查询', 'Query'],
  VERIFY: ['核验', 'Verify'],
  EXPORT: ['批量交换', 'Export'],
  BASIC: ['基础目录', 'Basic'],
  SUBJECT: ['主题目录', 'Subject'],
  DEPARTMENT: ['部门目录', 'Department'],
  status: ['状态', 'Status'],
  SUBMITTED: ['已提交', 'Submitted'],
  APPROVED: ['已批准', 'Approved'],
  REJECTED: ['已驳回', 'Rejected'],
  WITHDRAWN: ['已撤回', 'Withdrawn'],
  ACTIVE: ['有效', 'Active'],
  REVOKED: ['已撤销', 'Revoked'],
  DRAFT: ['草稿', 'Draft'],
  PUBLISHED: ['已发布', 'Published'],
  SUPERSEDED: ['已被替代', 'Superseded'],
  RETIRED: ['已停用', 'Retired'],
  // Sign-in
  signInTitle: ['登录控制台', 'Sign in to the console'],
  signInOidc: ['使用统一身份认证登录', 'Sign in with your organisation'],
  devSignInTitle: ['开发环境登录', 'Development sign-in'],
  devSignInHelp: [
    '本平台使用开发密钥运行：可为任一部门和角色签发开发令牌。生产环境不提供此项。',
    'This platform runs with development keys: pick any department and role. Production platforms do not offer this.',
  ],
  role: ['角色', 'Role'],
  userName: ['用户名', 'User name'],
  APP_DEVELOPER: ['应用开发者', 'Application developer'],
  DEPT_IT: ['部门信息化人员', 'Department IT'],
  REVIEWER: ['审核人员', 'Reviewer'],
  ADMIN: ['管理员', 'Admin'],
  noSignIn: [
    '本平台未配置登录方式。请联系管理员配置统一身份认证（CONSOLE_OIDC_ISSUER）。',
    'This platform offers no sign-in: ask its administrator to configure the identity provider (CONSOLE_OIDC_ISSUER).',
  ],
  'problem.sign-in-refused': [
    '身份提供方的应答未通过校验，请重新登录。',
    "The identity provider's answer did not check out; sign in again.",
  ],
  'problem.no-sign-in-under-way': [
    '登录已过期或未开始，请重新登录。',
    'The sign-in expired or was not started here; sign in again.',
  ],
  'problem.provider-unreachable': [
    '无法连接身份提供方，请稍后再试。',
    'The identity provider could not be reached; try again later.',
  ],
  // Application developer
  myApplications: ['我的申请', 'My applications'],
  myGrants: ['我的授权', 'My grants'],
  myAccesses: ['我的访问记录', 'My accesses'],
  apply: ['申请使用', 'Apply for access'],
  applyTitle: ['共享申请', 'Sharing application'],
  applyHelp: [
    '所列信息项是可授予的上限；需要主键时请一并勾选。',
    'The items you list are the most you can be granted; list key items too if you need them.',
  ],
  purpose: ['用途', 'Purpose'],
  purposeHelp: ['简短用途词，如 social-assistance', 'A short purpose word, e.g. social-assistance'],
  scenario: ['应用场景', 'Scenario'],
  from: ['起始日期', 'From'],
  until: ['截止日期', 'Until'],
  submit: ['提交', 'Submit'],
  submitted: ['已提交，编号', 'Submitted as'],
  dataset: ['数据资源', 'Dataset'],
  deadline: ['答复期限', 'Answer by'],
  overdue: ['已逾期', 'Overdue'],
  decision: ['答复', 'Decision'],
  validUntil: ['有效期至', 'Valid until'],
  validFrom: ['生效日期', 'Valid from'],
  masks: ['脱敏规则', 'Masks'],
  rowFilter: ['行过滤', 'Row filter'],
  purposes: ['允许用途', 'Purposes'],
  dailyQuota: ['每日配额', 'Daily quota'],
  tryIt: ['试用', 'Try it'],
  tryItHelp: [
    '在 GraphiQL 中打开，已带上您的令牌、用途和示例查询。',
    'Opens GraphiQL with your token, a purpose and an example query.',
  ],
  at: ['时间', 'When'],
  records: ['记录数', 'Records'],
  required: ['必填', 'Required'],
  pickItem: ['请至少选择一个信息项', 'Pick at least one item'],
  pickMode: ['请至少选择一种共享方式', 'Pick at least one mode'],
  datesOrder: ['起始日期须早于截止日期', 'The first date must be before the second'],
  withdraw: ['撤回', 'Withdraw'],
  // Department IT
  myEntries: ['本部门目录', 'My entries'],
  versions: ['版本', 'Versions'],
  version: ['版本', 'Version'],
  newDraft: ['新建或修改草稿', 'New or changed draft'],
  draftEditor: ['目录草稿编辑', 'Draft editor'],
  document: ['目录文档（YAML）', 'Entry document (YAML)'],
  changeReason: ['变更原因', 'Change reason'],
  triggerDate: ['变更发生日期', 'Day of the change'],
  saveDraft: ['保存草稿', 'Save draft'],
  submitForReview: ['提交审核', 'Submit for review'],
  savedDraft: ['草稿已保存', 'Draft saved'],
  edit: ['编辑', 'Edit'],
  yamlOk: ['YAML 格式正确', 'The YAML reads well'],
  waitingApplications: ['待答复申请', 'Applications waiting'],
  consumer: ['申请部门', 'Consumer'],
  applicant: ['申请人', 'Applicant'],
  approve: ['批准', 'Approve'],
  reject: ['驳回', 'Reject'],
  reason: ['理由', 'Reason'],
  approvalForm: ['批准条件', 'Conditions of approval'],
  maskRule: ['脱敏方式', 'Mask'],
  noMask: ['不脱敏', 'Unmasked'],
  KEEP_ENDS: ['保留首尾', 'Keep ends'],
  SURNAME_ONLY: ['仅保留姓', 'Surname only'],
  YEAR_ONLY: ['仅保留年份', 'Year only'],
  REDACT: ['完全隐藏', 'Redact'],
  keepFirst: ['保留前几位', 'Keep first'],
  keepLast: ['保留后几位', 'Keep last'],
  preview: ['预览', 'Preview'],
  previewOf: ['示例值脱敏后', 'A sample value, masked'],
  rowFilterItem: ['过滤信息项', 'Filter item'],
  startsWith: ['以…开头', 'Starts with'],
  approved: ['已批准，授权编号', 'Approved: grant'],
  errorReports: ['数据纠错', 'Error reports'],
  recordKey: ['记录主键', 'Record key'],
  answer: ['答复', 'Answer'],
  'outcome.CORRECTED': ['已更正', 'Corrected'],
  'outcome.REJECTED': ['不予采纳', 'Rejected'],
  'outcome.NOT_AN_ERROR': ['数据无误', 'Not an error'],
  OPEN: ['待答复', 'Open'],
  CORRECTED: ['已更正', 'Corrected'],
  NOT_AN_ERROR: ['数据无误', 'Not an error'],
  // Reviewer and admin
  reviewQueue: ['目录审核', 'Review queue'],
  review: ['审核', 'Review'],
  publish: ['发布', 'Publish'],
  warnings: ['提示', 'Warnings'],
  submittedBy: ['提交人', 'Submitted by'],
  grants: ['授权管理', 'Grants'],
  revoke: ['撤销', 'Revoke'],
  revokeReason: ['撤销理由', 'Reason for revoking'],
  saveChanges: ['保存修改', 'Save changes'],
  staleGrant: [
    '他人已修改此授权，您的修改未保存。请重新加载最新版本后再改。',
    'Someone changed this grant meanwhile; your change was not saved. Reload the current version and change that.',
  ],
  reloadGrant: ['重新加载', 'Reload'],
  dateOrInstant: ['日期（YYYY-MM-DD）或时间点', 'A date (YYYY-MM-DD) or an instant'],
  history: ['变更记录', 'History'],
  audit: ['审计日志', 'Audit trail'],
  downloadCsv: ['下载 CSV', 'Download CSV'],
  verifyChain: ['校验哈希链', 'Verify the hash chain'],
  chainOk: ['哈希链完整', 'The chains are intact'],
  chainBroken: ['哈希链有问题', 'The chains have problems'],
  kind: ['类别', 'Kind'],
  requestId: ['请求编号', 'Request id'],
  done: ['已完成', 'Done'],
  // Problems the API reports, by code
  'code.BAD_USER_INPUT': ['输入有误', 'Input to correct'],
  'code.FORBIDDEN': ['无权操作', 'Not allowed'],
  'code.UNAUTHENTICATED': ['需要登录', 'Sign-in needed'],
  'code.CONFLICT': ['他人已修改此记录', 'Someone changed this'],
  'code.NOT_FOUND': ['未找到', 'Not found'],
  'code.NETWORK': ['网络错误', 'Network error'],
  'code.UNAVAILABLE': ['服务暂不可用', 'Unavailable for now'],
  'code.RATE_LIMITED': ['请求过于频繁', 'Too many requests'],
  'code.OPERATION_LIMIT': ['超出操作限制', 'Over an operation limit'],
  'code.INTERNAL_SERVER_ERROR': ['平台内部错误', 'Platform error'],
  problem: ['问题', 'Problem'],
  'code.OPERATION_NOT_TRUSTED': ['操作未获信任', 'Operation not trusted'],
  'code.GRAPHQL_VALIDATION_FAILED': ['请求不符合接口定义', 'Request does not fit the schema'],
  'code.GRAPHQL_PARSE_FAILED': ['请求无法解析', 'Request cannot be read'],
  'code.BAD_REQUEST': ['请求有误', 'Bad request'],
  'code.PERSISTED_QUERY_NOT_FOUND': ['未找到预存查询', 'Persisted query not found'],
  // What each code means, in the reader's words (the API's own message follows as detail)
  'codeHelp.BAD_USER_INPUT': [
    '提交的内容有误，请按提示修改后重试。',
    'Something you entered needs correcting; see the details.',
  ],
  'codeHelp.FORBIDDEN': [
    '您的账号没有执行此操作的权限；如需办理，请联系有权限的人员或管理员。',
    'Your account may not do this; ask someone who may, or an administrator.',
  ],
  'codeHelp.UNAUTHENTICATED': [
    '登录已失效或尚未登录，请重新登录。',
    'You are not signed in, or your sign-in expired; sign in again.',
  ],
  'codeHelp.CONFLICT': [
    '该记录的状态已变化（可能已被他人处理），本次操作未生效，请刷新后再试。',
    'The record changed meanwhile (perhaps someone else acted on it); nothing was changed. Reload and try again.',
  ],
  'codeHelp.NOT_FOUND': [
    '要操作的记录不存在或已删除。',
    'The record does not exist or was removed.',
  ],
  'codeHelp.NETWORK': [
    '无法连接平台，请检查网络后重试。',
    'The platform could not be reached; check the network and try again.',
  ],
  'codeHelp.UNAVAILABLE': [
    '平台的某项服务暂时无法应答，未返回任何数据，请稍后重试。',
    'A service of the platform did not answer; nothing was served. Try again later.',
  ],
  'codeHelp.RATE_LIMITED': [
    '请求过于频繁，已超出您的份额，请稍候再试。',
    'You sent more than your share of requests; wait a moment and try again.',
  ],
  'codeHelp.OPERATION_LIMIT': [
    '请求过大（层级、字段或数据量超出限制），请缩小查询范围。',
    'The request is larger than allowed; ask for less.',
  ],
  'codeHelp.OPERATION_NOT_TRUSTED': [
    '本平台只执行登记过的查询，此查询不在您的名单内。',
    'This platform runs registered operations only, and this one is not on your list.',
  ],
  'codeHelp.INTERNAL_SERVER_ERROR': [
    '平台内部出错，请将请求编号告知管理员。',
    'The platform failed; give the request id to an administrator.',
  ],
  'codeHelp.GRAPHQL_VALIDATION_FAILED': [
    '请求不符合平台的接口定义（可能控制台版本与平台不一致），请刷新页面。',
    'The request does not fit the API (the console may be older than the platform); reload the page.',
  ],
  'codeHelp.GRAPHQL_PARSE_FAILED': [
    '请求无法解析，请刷新页面。',
    'The request cannot be read; reload the page.',
  ],
  'codeHelp.BAD_REQUEST': [
    '请求格式有误，请刷新页面后重试。',
    'The request is malformed; reload the page and try again.',
  ],
  'codeHelp.PERSISTED_QUERY_NOT_FOUND': [
    '平台未找到该预存查询，请刷新页面。',
    'The platform does not know this stored query; reload the page.',
  ],
  apiMessage: ['接口原文', "The API's words"],
  // Why a dataset or item was denied (extensions.reason)
  'reason.UNAUTHENTICATED': [
    '未登录，只能查看公开目录。',
    'Not signed in: the public catalogue only.',
  ],
  'reason.NO_GRANT': [
    '您的部门没有覆盖该数据的有效授权，请先提交共享申请。',
    'No active grant covers this for your department: apply first.',
  ],
  'reason.GRANT_EXPIRED': ['授权已过期。', 'The grant has expired.'],
  'reason.GRANT_NOT_YET_VALID': ['授权尚未生效。', 'The grant is not valid yet.'],
  'reason.PURPOSE_NOT_ALLOWED': [
    '声明的用途不在授权允许的用途内。',
    'The purpose declared is not one the grant allows.',
  ],
  'reason.MODE_NOT_ALLOWED': ['授权不允许这种共享方式。', 'The grant does not allow this mode.'],
  'reason.QUOTA_EXCEEDED': ['今日配额已用完。', "Today's quota is used up."],
  'reason.VERIFY_LIMIT_EXCEEDED': [
    '该记录今日核验次数已达上限。',
    'This record was verified as often as allowed today.',
  ],
  'reason.PROBE_LIMIT_EXCEEDED': [
    '今日查无记录的查询次数已达上限。',
    'Too many lookups that found nothing today.',
  ],
  'reason.MASKED': [
    '该信息项对您脱敏显示，不能核验、过滤或关联。',
    'The item is masked for you: it cannot be verified, filtered on or joined through.',
  ],
  'reason.NOT_SHARED': ['该数据不予共享。', 'The data is not shared.'],
  // Paging
  previousPage: ['上一页', 'Previous page'],
  pageNumber: ['第', 'Page'],
  // API keys (admin)
  apiKeys: ['API 密钥', 'API keys'],
  apiKeysHelp: [
    '应用以 X-Api-Key 请求头携带密钥调用接口。密钥只在签发时显示一次，平台只保存其哈希；撤销后各网关在数秒内拒绝该密钥。',
    'Applications send a key as the X-Api-Key header. A key is shown once, when it is issued (the platform keeps only its hash); every gateway refuses a revoked key within seconds.',
  ],
  issueKey: ['签发密钥', 'Issue a key'],
  issuedKeys: ['已签发的密钥', 'Issued keys'],
  application: ['应用', 'Application'],
  label: ['备注', 'Label'],
  createdAt: ['签发时间', 'Issued at'],
  issuedBy: ['签发人', 'Issued by'],
  keyIssued: ['已签发密钥', 'Key issued:'],
  secretOnce: [
    '请立即复制并妥善保存：关闭后无法再次查看。',
    'Copy it and store it now: it cannot be shown again.',
  ],
  secret: ['密钥', 'Key'],
  copy: ['复制', 'Copy'],
  copied: ['已复制到剪贴板', 'Copied to the clipboard'],
  copyByHand: [
    '无法访问剪贴板，已选中密钥，请手动复制。',
    'The clipboard is not available: the key is selected, copy it by hand.',
  ],
  secretStored: ['我已保存，隐藏密钥', 'I stored it: hide the key'],
  confirmRevokeKey: [
    '确定撤销？使用该密钥的应用将被拒绝。',
    'Revoke? Applications using it will be refused.',
  ],
  cancel: ['取消', 'Cancel'],
  // Working-day calendar (admin)
  calendar: ['工作日历', 'Working-day calendar'],
  calendarHelp: [
    '期限按工作日计算：周末休息，节假日休息，调休上班日上班。点选日期可填入下方表单。',
    'Deadlines count working days: weekends and holidays are off, make-up working days are worked. Pick a day to put it in the form.',
  ],
  previousYear: ['上一年', 'Previous year'],
  nextYear: ['下一年', 'Next year'],
  workday: ['工作日', 'Working day'],
  weekend: ['周末', 'Weekend'],
  HOLIDAY: ['节假日', 'Holiday'],
  MAKEUP_WORKDAY: ['调休上班', 'Make-up working day'],
  calendarAdd: ['添加或修改日期', 'Add or change a day'],
  calendarSave: ['保存', 'Save'],
  calendarSaved: ['已保存', 'Saved'],
  calendarRemoved: ['已删除', 'Removed'],
  calendarNoSuchDay: ['日历中没有该日期', 'No such day in the calendar'],
  calendarDays: ['节假日与调休', 'Holidays and make-up days'],
  date: ['日期', 'Date'],
  remove: ['删除', 'Remove'],
  mon: ['一', 'Mo'],
  tue: ['二', 'Tu'],
  wed: ['三', 'We'],
  thu: ['四', 'Th'],
  fri: ['五', 'Fr'],
  sat: ['六', 'Sa'],
  sun: ['日', 'Su'],
  // Who read my data (department IT) and scorecards (reviewer)
  whoReadMyData: ['数据使用情况', 'Who read my data'],
  whoReadMyDataHelp: [
    '本部门数据被各部门访问的请求数，按日、周或月统计（来自审计日志，在服务器端汇总）。',
    "Requests for my department's datasets by consumer and dataset, per day, week or month (from the audit trail, counted on the server).",
  ],
  anonymous: ['（未登录）', '(anonymous)'],
  others: ['其他', 'Others'],
  toExclusive: ['截止日期（不含）', 'Until (not included)'],
  interval: ['统计周期', 'Interval'],
  byDay: ['按日', 'By day'],
  byWeek: ['按周', 'By week'],
  byMonth: ['按月', 'By month'],
  groupBy: ['分组', 'Group by'],
  servedRequests: ['获得数据的请求', 'Requests served'],
  deniedRequests: ['被拒绝的请求', 'Requests denied'],
  readsByConsumer: ['按部门和数据资源合计', 'Totals by consumer and dataset'],
  scorecards: ['监督考核', 'Scorecards'],
  scorecardsHelp: [
    '各提供部门按月或按周的共享情况：数据访问、共享申请的答复与纠错处理（在服务器端汇总）。',
    "Every providing department's figures per month or week: accesses, applications answered, error reports (counted on the server).",
  ],
  'figure.served': ['获得数据的请求', 'Requests served'],
  'figure.denied': ['被拒绝的请求', 'Requests denied'],
  'figure.records': ['提供记录数', 'Records served'],
  'figure.applicationsReceived': ['收到申请', 'Applications received'],
  'figure.applicationsAnswered': ['已答复申请', 'Applications answered'],
  'figure.applicationsAnsweredLate': ['逾期答复', 'Answered late'],
  'figure.errorReportsReceived': ['收到纠错', 'Error reports received'],
  'figure.errorReportsAnswered': ['已处理纠错', 'Error reports answered'],
  answeredInTime: ['按时答复', 'Answered in time'],
  unanswered: ['未答复', 'Unanswered'],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof MESSAGES;

/** The text of `key` in `lang`; an unknown key (an enum value the API added later) shows as itself. */
export function translate(lang: Lang, key: string): string {
  const pair = (MESSAGES as Record<string, readonly [string, string]>)[key];
  return pair ? pair[lang === 'zh' ? 0 : 1] : key;
}

/** The text of `key` in `lang`, or null when there is none (unlike `translate`). */
export function knownText(lang: Lang, key: string): string | null {
  const pair = (MESSAGES as Record<string, readonly [string, string]>)[key];
  return pair ? pair[lang === 'zh' ? 0 : 1] : null;
}

/** Every key of the console's texts (a test checks each API error code has its words). */
export const MESSAGE_KEYS = Object.keys(MESSAGES) as MessageKey[];

export const LangContext = createContext<Lang>('zh');

/** The translator of the page's current language. */
export function useT(): (key: MessageKey | (string & {})) => string {
  const lang = useContext(LangContext);
  return (key) => translate(lang, key);
}

/** The language kept from the last visit (a preference, not a secret), Chinese by default. */
export function initialLang(): Lang {
  try {
    return localStorage.getItem('govdata-console-lang') === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function keepLang(lang: Lang): void {
  try {
    localStorage.setItem('govdata-console-lang', lang);
  } catch {
    // Storage may be off; the choice then lasts for this page only.
  }
}
