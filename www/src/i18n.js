// Every piece of UI text, in one place. `t(key, vars)` fills {placeholders}; the result is
// always put into the page with textContent (see dom.js), never parsed as HTML.

export const LANGS = ["zh", "en"];

const STRINGS = {
  en: {
    "doc.title": "crmscore — RFM customer segmentation in the browser",
    heading: "RFM customer segmentation, in your browser",
    tagline:
      "crmscore scores customers by Recency, Frequency and Monetary value in WebAssembly, on data already in the page.",
    privacy:
      "All computation happens in your browser. No data leaves it: this page sends nothing to any server.",
    "lang.label": "Language",

    "controls.heading": "Sample data and options",
    "size.label": "Sample size",
    "size.1000": "1k customers",
    "size.10000": "10k customers",
    "size.100000": "100k customers",
    "bins.label": "Bins per metric",
    "binning.label": "Binning method",
    "binning.quantile": "Quantile",
    "binning.equalCount": "Equal count",
    "binning.rfmR": "As the R rfm package",
    "segments.label": "Segment preset",
    "segments.rfmR": "R rfm table (5 bins)",
    "segments.rfGrid": "R × F grid (5 bins)",
    "segments.halves": "R × F halves (any bins)",
    "segments.none": "None: scores only",
    "preset.rfmR": "R rfm table",
    "preset.rfGrid": "R × F grid",

    "status.loading": "Loading WebAssembly…",
    "status.generating": "Generating a sample of {customers} customers…",
    "status.computing": "Computing RFM…",
    "status.timing": "Computed in {ms} ms in WebAssembly",
    "status.detail": "{orders} orders · {customers} customers · as of {asOf} · sample generated in {genMs} ms",
    "status.failed": "No result for these options.",

    "segments.heading": "Segments",
    "col.segment": "Segment",
    "col.customers": "Customers",
    "col.share": "Share",
    "col.orders": "Orders",
    "col.revenue": "Revenue",
    "col.aov": "Avg order value",
    "col.total": "Total",

    "heatmap.heading": "Frequency × Recency",
    "heatmap.note": "Customers per score cell; darker means more. Hover a cell for its mean monetary value.",
    "heatmap.corner": "F \\ R",
    "heatmap.rAxis": "Recency score →",
    "heatmap.fAxis": "Frequency score",
    "heatmap.cell": "R {r} · F {f}: {customers} customers, mean monetary {mean}",
    "heatmap.empty": "R {r} · F {f}: no customers",

    "thresholds.heading": "Cut points",
    "thresholds.note": "Interior cut points between score bins, as computed for this data.",
    "metric.recency": "Recency (days)",
    "metric.frequency": "Frequency (orders)",
    "metric.monetary": "Monetary",
    "thresholds.none": "none",

    "customers.heading": "Customers",
    "customers.note": "First {shown} of {total}",
    "col.customerId": "Customer",
    "col.r": "R",
    "col.f": "F",
    "col.m": "M",
    "col.recencyDays": "Recency (days)",
    "col.frequency": "Frequency",
    "col.monetary": "Monetary",
    "col.rfmScore": "RFM score",

    "error.heading": "These options cannot be combined",
    "error.headingOther": "Something went wrong",
    "error.presetBins":
      "The “{preset}” segment preset is defined on 5 bins per metric, and {bins} bins are selected. Choose 5 bins, or a preset that works with any number of bins.",
    "error.useFiveBins": "Use 5 bins",
    "error.useHalves": "Use “R × F halves”",
    "error.useNone": "Use no segments",
    "error.library": "Message from crmscore ({code}, {field}):",
    "error.libraryNoField": "Message from crmscore ({code}):",
    "error.other": "Error:",

    footer: "Rust compiled to WebAssembly. The sample data is generated: no real customers.",
    version: "crmscore {version}",
  },

  zh: {
    "doc.title": "crmscore — 浏览器内的 RFM 客户分级",
    heading: "浏览器内的 RFM 客户分级",
    tagline: "crmscore 在 WebAssembly 中按最近购买（R）、购买频次（F）和消费金额（M）为客户打分，数据就在页面之中。",
    privacy: "所有计算都在您的浏览器中完成，数据不会离开浏览器：本页面不向任何服务器发送数据。",
    "lang.label": "语言",

    "controls.heading": "示例数据与选项",
    "size.label": "示例规模",
    "size.1000": "1 千位客户",
    "size.10000": "1 万位客户",
    "size.100000": "10 万位客户",
    "bins.label": "每个指标的分箱数",
    "binning.label": "分箱方法",
    "binning.quantile": "分位数",
    "binning.equalCount": "等人数",
    "binning.rfmR": "同 R 语言 rfm 包",
    "segments.label": "分群方案",
    "segments.rfmR": "R rfm 分群表（5 箱）",
    "segments.rfGrid": "R × F 网格（5 箱）",
    "segments.halves": "R × F 高低二分（任意箱数）",
    "segments.none": "不分群，仅评分",
    "preset.rfmR": "R rfm 分群表",
    "preset.rfGrid": "R × F 网格",

    "status.loading": "正在加载 WebAssembly…",
    "status.generating": "正在生成 {customers} 位客户的示例数据…",
    "status.computing": "正在计算 RFM…",
    "status.timing": "在 WebAssembly 中计算用时 {ms} 毫秒",
    "status.detail": "{orders} 笔订单 · {customers} 位客户 · 分析日期 {asOf} · 示例生成用时 {genMs} 毫秒",
    "status.failed": "这些选项没有结果。",

    "segments.heading": "客户分群",
    "col.segment": "分群",
    "col.customers": "客户数",
    "col.share": "占比",
    "col.orders": "订单数",
    "col.revenue": "收入",
    "col.aov": "平均订单金额",
    "col.total": "合计",

    "heatmap.heading": "频次 × 最近购买",
    "heatmap.note": "每格为该评分组合的客户数，颜色越深人数越多。悬停可查看平均消费金额。",
    "heatmap.corner": "F \\ R",
    "heatmap.rAxis": "最近购买评分 →",
    "heatmap.fAxis": "频次评分",
    "heatmap.cell": "R {r} · F {f}：{customers} 位客户，平均消费金额 {mean}",
    "heatmap.empty": "R {r} · F {f}：没有客户",

    "thresholds.heading": "分箱切点",
    "thresholds.note": "相邻评分区间之间的切点，按当前数据计算。",
    "metric.recency": "最近购买（天）",
    "metric.frequency": "购买频次（单）",
    "metric.monetary": "消费金额",
    "thresholds.none": "无",

    "customers.heading": "客户明细",
    "customers.note": "显示前 {shown} 位，共 {total} 位",
    "col.customerId": "客户",
    "col.r": "R",
    "col.f": "F",
    "col.m": "M",
    "col.recencyDays": "距上次购买（天）",
    "col.frequency": "频次",
    "col.monetary": "消费金额",
    "col.rfmScore": "RFM 评分",

    "error.heading": "这些选项无法组合使用",
    "error.headingOther": "出错了",
    "error.presetBins": "“{preset}”分群方案按每个指标 5 个分箱定义，当前选择了 {bins} 个分箱。请选择 5 个分箱，或改用适用于任意分箱数的分群方案。",
    "error.useFiveBins": "改用 5 个分箱",
    "error.useHalves": "改用“R × F 高低二分”",
    "error.useNone": "不分群",
    "error.library": "crmscore 返回的信息（{code}，{field}）：",
    "error.libraryNoField": "crmscore 返回的信息（{code}）：",
    "error.other": "错误：",

    footer: "Rust 编译为 WebAssembly。示例数据为生成数据，并非真实客户。",
    version: "crmscore {version}",
  },
};

// Display names of the segments the presets produce. The library returns the names as
// given in the rules; unknown names (user rules) are shown as they are.
const SEGMENT_NAMES = {
  en: {},
  zh: {
    // "rfmR" preset (the R rfm package's table)
    Champions: "冠军客户",
    "Potential Loyalist": "潜在忠诚客户",
    "Loyal Customers": "忠诚客户",
    Promising: "有潜力客户",
    "New Customers": "新客户",
    "Can't Lose Them": "不能失去的客户",
    "At Risk": "有流失风险",
    "Need Attention": "需要关注",
    "About To Sleep": "即将沉睡",
    Lost: "已流失",
    Others: "其他",
    // "rfGrid" preset
    champions: "冠军客户",
    loyal_customers: "忠诚客户",
    potential_loyalists: "潜在忠诚客户",
    new_customers: "新客户",
    promising: "有潜力客户",
    need_attention: "需要关注",
    about_to_sleep: "即将沉睡",
    at_risk: "有流失风险",
    cant_loose: "不能失去的客户",
    hibernating: "休眠客户",
    // the demo's "halves" rules (presets.js)
    "Active & frequent": "活跃高频",
    "Active, infrequent": "活跃低频",
    "Lapsing regulars": "渐远的老客户",
    Lapsed: "沉睡客户",
  },
};

const LOCALES = { en: "en-US", zh: "zh-CN" };

let current = "en";

export function getLang() {
  return current;
}

export function setLang(lang) {
  if (!LANGS.includes(lang)) throw new Error(`unknown language ${lang}`);
  current = lang;
}

export function locale() {
  return LOCALES[current];
}

/** The UI string `key` in the current language, with {name} placeholders filled from `vars`. */
export function t(key, vars) {
  const s = STRINGS[current][key] ?? STRINGS.en[key];
  if (s === undefined) throw new Error(`missing UI string "${key}"`);
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** How a segment name is shown in the current language. */
export function segmentLabel(name) {
  const s = String(name);
  return Object.hasOwn(SEGMENT_NAMES[current], s) ? SEGMENT_NAMES[current][s] : s;
}

/** The language to start in: ?lang=, then the last choice, then the browser's language. */
export function initialLang() {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (LANGS.includes(fromUrl)) return fromUrl;
  try {
    const saved = localStorage.getItem("crmscore-demo-lang");
    if (LANGS.includes(saved)) return saved;
  } catch {
    // storage may be unavailable (privacy settings); fall through
  }
  return (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function rememberLang(lang) {
  try {
    localStorage.setItem("crmscore-demo-lang", lang);
  } catch {
    // not essential
  }
}

/** Fills every [data-i18n] element (textContent) and [data-i18n-aria-label] attribute under `root`. */
export function applyStatic(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  document.title = t("doc.title");
}

/** The dictionaries themselves, for tests that check both languages define the same keys. */
export const _strings = STRINGS;
