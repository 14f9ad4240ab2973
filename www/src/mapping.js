// What a loaded table is (orders, customers, interactions) and which of its columns holds
// which field: guessed from the header names, English and Chinese, then shown to the user to
// correct. Pure: used by the parsing worker and by www/tests/load.test.mjs.

/** The fields of each kind of table; `required` ones must be mapped to load the table. */
export const KINDS = {
  orders: [
    { field: "customerId", required: true },
    { field: "date", required: true },
    { field: "amount", required: true },
    { field: "status" },
    { field: "discount" },
    { field: "name" },
  ],
  customers: [
    { field: "customerId", required: true },
    { field: "name" },
    { field: "createdAt" },
    { field: "email" },
    { field: "phone" },
    { field: "region" },
    { field: "channel" },
  ],
  interactions: [
    { field: "customerId", required: true },
    { field: "date", required: true },
    { field: "type", required: true },
    { field: "value" },
  ],
};

// Header names per field, compared after normalising (lower case, no spaces, _ - . or /).
// The first list entries are exact names; a header that merely contains one counts less.
const SYNONYMS = {
  customerId: ["customerid", "customer", "custid", "clientid", "client", "buyerid", "memberid", "userid", "accountid", "contactid", "客户id", "客户编号", "客户代码", "会员id", "会员编号", "用户id", "买家id", "客户号", "id"],
  date: ["date", "orderdate", "purchasedate", "createdat", "orderedat", "time", "timestamp", "datetime", "interactiondate", "eventdate", "日期", "订单日期", "下单时间", "下单日期", "成交时间", "成交日期", "时间", "发生时间", "互动时间"],
  amount: ["amount", "total", "ordertotal", "orderamount", "value", "revenue", "sales", "price", "paid", "payment", "sum", "金额", "订单金额", "实付金额", "支付金额", "销售额", "成交金额", "总价", "应付金额"],
  status: ["status", "orderstatus", "state", "状态", "订单状态"],
  discount: ["discount", "discountamount", "coupon", "折扣", "优惠", "优惠金额", "折扣金额"],
  name: ["name", "customername", "fullname", "clientname", "contactname", "company", "客户名称", "客户姓名", "姓名", "名称", "客户名", "公司名称"],
  createdAt: ["createdat", "created", "signupdate", "signup", "registered", "registeredat", "registrationdate", "joindate", "joined", "since", "注册时间", "注册日期", "创建时间", "创建日期", "建档日期"],
  email: ["email", "emailaddress", "mail", "邮箱", "电子邮件", "电子邮箱", "邮件地址"],
  phone: ["phone", "phonenumber", "mobile", "tel", "telephone", "cell", "电话", "手机", "手机号", "手机号码", "联系电话"],
  region: ["region", "city", "province", "state", "area", "country", "territory", "地区", "城市", "省份", "区域", "省市"],
  channel: ["channel", "source", "acquisitionchannel", "leadsource", "渠道", "来源", "获客渠道"],
  type: ["type", "interactiontype", "eventtype", "event", "activity", "kind", "类型", "互动类型", "事件", "事件类型"],
  value: ["value", "score", "rating", "feedbackscore", "nps", "评分", "分值", "满意度"],
};

export const normaliseHeader = (h) => String(h ?? "").trim().toLowerCase().replace(/[\s_\-./]+/g, "");

/**
 * For each field of `kind`, the index of the header that best matches it, or -1.
 * One header is used for one field at most (exact matches first, then "contains").
 */
export function detectMapping(kind, headers) {
  const norm = headers.map(normaliseHeader);
  const used = new Set();
  const mapping = {};
  const fields = KINDS[kind].map((f) => f.field);
  for (const pass of ["exact", "contains"]) {
    for (const field of fields) {
      if (mapping[field] >= 0) continue;
      mapping[field] = -1;
      for (const syn of SYNONYMS[field]) {
        const i = norm.findIndex((h, j) => !used.has(j) && h !== "" && (pass === "exact" ? h === syn : syn.length >= 3 && h.includes(syn)));
        if (i >= 0) {
          mapping[field] = i;
          used.add(i);
          break;
        }
      }
    }
  }
  return mapping;
}

/** How many of a kind's fields (required ones count double) the headers match. */
function fit(kind, headers) {
  const m = detectMapping(kind, headers);
  let s = 0;
  for (const { field, required } of KINDS[kind]) if (m[field] >= 0) s += required ? 2 : 1;
  const missingRequired = KINDS[kind].some(({ field, required }) => required && m[field] < 0);
  return missingRequired ? s / 10 : s;
}

/** The kind of table these headers most likely describe (a file name hint breaks ties). */
export function detectKind(headers, fileName = "") {
  const hint = normaliseHeader(fileName);
  const scores = Object.keys(KINDS).map((kind) => {
    let s = fit(kind, headers);
    if (hint.includes(kind) || (kind === "orders" && /订单|order|sales/.test(hint)) || (kind === "customers" && /客户|customer|client|contact/.test(hint)) || (kind === "interactions" && /互动|interaction|event|activit/.test(hint))) s += 1.5;
    return [kind, s];
  });
  scores.sort((a, b) => b[1] - a[1]);
  return scores[0][0];
}

/** The missing required fields of a mapping (empty when the table can be loaded). */
export function missingRequired(kind, mapping) {
  return KINDS[kind].filter(({ field, required }) => required && !(mapping[field] >= 0)).map(({ field }) => field);
}
