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
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof MESSAGES;

/** The text of `key` in `lang`; an unknown key (an enum value the API added later) shows as itself. */
export function translate(lang: Lang, key: string): string {
  const pair = (MESSAGES as Record<string, readonly [string, string]>)[key];
  return pair ? pair[lang === 'zh' ? 0 : 1] : key;
}

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
