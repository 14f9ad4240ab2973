// Typed usage of the generated .d.ts, checked by `tsc --noEmit -p tests/types` in `npm test`.
// The @ts-expect-error lines must stay errors: if the types loosen, tsc fails.
import { deriveFields, rfm, rfmColumnar, rfmFromCustomers, sampleOrdersColumnar } from "crmscore";
import type { CrmScoreError, Order, RfmOptions, RfmResult, SegmentRule, RfmColumnarResult } from "crmscore";
import type { ActivityData, DerivedCustomer, DerivedFieldName, DeriveOptions, Interaction, Payment } from "crmscore";
import initWeb, { rfm as rfmWeb } from "crmscore/web";

const orders: Order[] = [
  { customerId: "a", date: "2026-01-02", amount: 10 },
  { customerId: 42, date: Date.UTC(2026, 0, 3), amount: 5 },
  { customerId: "b", date: new Date(), amount: 1 },
];
const rules: SegmentRule[] = [{ name: "Top", recency: [4, 5], frequency: [4, 5], monetary: [1, 5] }];
const options: RfmOptions = { asOf: "2026-02-01", bins: { recency: 5, frequency: 5, monetary: 5 }, binning: "rfmR", segments: rules };
const result: RfmResult = rfm(orders, options);
const firstSegment: string = result.customers[0].segment;
const score: number = result.customers[0].rfmScore;
const aov: number | null = result.segments[0].averageOrderValue;
const cuts: number[] = result.thresholds.monetary;
rfm(orders);
rfmFromCustomers([{ customerId: "a", recencyDays: 3, frequency: 2, monetary: 10 }], { segments: "rfGrid" });

const s = sampleOrdersColumnar({ customers: 10 });
const col: RfmColumnarResult = rfmColumnar(s.customerIndex, s.dates, s.amounts, { customerCount: 10 });
const r: Uint8Array = col.recencyScore;

try {
  rfm([]);
} catch (e) {
  const err = e as CrmScoreError;
  const code: "invalid_date" | "invalid_amount" | "missing_field" | "invalid_value" | "invalid_customer_id"
    | "invalid_option" | "empty_input" | "date_after_as_of" | "length_mismatch" | "invalid_model" | "invalid_argument" = err.code;
  const row: number | undefined = err.row;
  void code, row;
}

async function web() {
  await initWeb();
  return rfmWeb(orders).customers.length;
}

// deriveFields: typed input (customers carry free attributes; unknown interaction types are strings).
const activity: ActivityData = {
  customers: [{ customerId: "a", createdAt: "2025-01-01", region: "north", vip: true }],
  orders: [{ customerId: "a", date: "2025-02-01", amount: 10, status: "returned", discount: null }],
  interactions: [{ customerId: "a", date: new Date(), type: "newsletter" }, { customerId: 7, date: 0, type: "feedback", value: 4 }],
  payments: [{ customerId: "a", date: "2025-02-02", amount: 10, status: "late", daysLate: 3 }],
};
const deriveOptions: DeriveOptions = { asOf: "2025-03-01" };
const derived: DerivedCustomer[] = deriveFields(activity, deriveOptions);
const aovOrNull: number | null = derived[0].averageOrderValue;
const orderCount: number = derived[0].orderCount;
const fieldName: DerivedFieldName = "interactionsLast90Days";
deriveFields({ orders: [] });
// @ts-expect-error averageOrderValue may be null
const aovNumber: number = derived[0].averageOrderValue;
// @ts-expect-error not a derived field
const badField: DerivedFieldName = "recencyDays";
// @ts-expect-error payment status is a closed set
const badPayment: Payment = { customerId: "a", date: "2025-01-01", amount: 1, status: "pending" };
// @ts-expect-error an interaction type is a string
const badInteraction: Interaction = { customerId: "a", date: "2025-01-01", type: 3 };
// @ts-expect-error orders are required
deriveFields({ interactions: [] });
// @ts-expect-error order status is a closed set
deriveFields({ orders: [{ customerId: "a", date: "2025-01-01", amount: 1, status: "shipped" }] });
// @ts-expect-error asOf only
deriveFields(activity, { asof: "2025-01-01" });
void aovOrNull, orderCount, fieldName, aovNumber, badField, badPayment, badInteraction;

// @ts-expect-error binning is a closed set
rfm(orders, { binning: "ntile" });
// @ts-expect-error amount is required
const bad: Order = { customerId: "x", date: "2026-01-01" };
// @ts-expect-error a score range is a pair
const badRule: SegmentRule = { name: "x", recency: [1], frequency: [1, 5], monetary: [1, 5] };
// @ts-expect-error dates must be a typed array
rfmColumnar(s.customerIndex, [1, 2], s.amounts);

void firstSegment, score, aov, cuts, r, web, bad, badRule;

// ---- weighted scoring
import { score as scoreCustomers, Scorer, compareTiers, tierEconomics, scoringPreset, validateModel } from "crmscore";
import type { ScoringModel, ScoreResult, ScoredCustomer, TierTransitions, TierEconomics } from "crmscore";

const model: ScoringModel = {
  indicators: [
    { id: "spend", field: "spend", weight: 40, scale: { type: "linear", min: 0, max: 1000 } },
    { id: "tier", field: "level", weight: 20, scale: { type: "map", values: { gold: 1, silver: 0.5 } }, missing: "skip", group: "g" },
    { id: "late", field: "daysLate", weight: 10, scale: { type: "bands", bands: [[30, 1], [7, 0.5]] }, invert: true },
  ],
  adjustments: [{ id: "complaints", field: "complaints", op: ">=", value: 3, points: -10 }],
  groups: [{ id: "g", cap: 15 }],
  decay: { field: "lastActivity", halfLifeDays: 90 },
  tiers: [{ label: "A", min: 50 }, { label: "B", min: null }],
};
validateModel(model);
const scored: ScoreResult = scoreCustomers([{ customerId: 1, spend: 10 }], model, { strict: false, asOf: "2026-01-01" });
const first: ScoredCustomer = scored.customers[0];
const toNext: number | null = first.pointsToNextTier;
const scorer = new Scorer({ columns: { spend: new Float64Array(3) } }, "qualityCustomer");
scorer.setWeights(new Float64Array([1, 2, 3, 4]));
const tiersOut: Uint8Array = scorer.tiers();
const counts: Uint32Array = scorer.tierCounts();
const moved: TierTransitions = compareTiers([{ customerId: 1, tier: "A" }], [{ customerId: 1, tier: "B" }]);
const econ: TierEconomics = tierEconomics(scored, "spend", { costPerCustomer: { A: 1, B: 2 } });
const preset: ScoringModel = scoringPreset("valueEngagement");
// @ts-expect-error a scale type is a closed set
const badScale: ScoringModel = { indicators: [{ id: "x", field: "x", weight: 1, scale: { type: "cubic" } }], tiers: [] };
// @ts-expect-error only the two presets have names
scoreCustomers([], "bestCustomers");
// @ts-expect-error setWeights takes a Float64Array
scorer.setWeights([1, 2, 3, 4]);
void first, toNext, tiersOut, counts, moved, econ, preset, badScale;

// classify, classifyColumnar, crossTab.
import { classify, classifyColumnar, crossTab } from "crmscore";
import type { ClassificationResult, ClassifiedCustomer, ColumnarActivity, CrossTab, Lifecycle, CustomerFlag, CustomerId } from "crmscore";
const classified: ClassificationResult = classify(
  { customers: [{ customerId: "a", email: "a@b.cn", phone: 13812345678, region: "华东" }], orders: [{ customerId: "a", date: "2026-01-02", amount: 3, paymentMethod: "cod" }] },
  { asOf: "2026-02-01", churnDays: 300, junkWarnings: 1 },
);
const oneClass: ClassifiedCustomer = classified.customers[0];
const stage: Lifecycle = oneClass.lifecycle;
const flag: CustomerFlag | undefined = oneClass.flags[0];
const evidenceValue: number | string | CustomerId[] | undefined = flag?.evidence["returnRate"];
// Customers named in evidence keep their id type.
const dupOf = flag?.evidence["duplicateEmailOf"];
const firstDup: CustomerId | undefined = Array.isArray(dupOf) ? dupOf[0] : undefined;
const junkCount: number = classified.summary.junk;
const atRiskCount: number = classified.summary.lifecycle.atRisk;
const columnar: ColumnarActivity = {
  customerIds: ["a"],
  orders: { customer: new Uint32Array(1), date: new Int32Array(1), amount: new Float64Array(1) },
};
classifyColumnar(columnar);
const table: CrossTab = crossTab(classified, [{ customerId: "a", region: "华东" }], "region", { tiers: null });
const junkShare: number | undefined = table.rows[0]?.classes["junk"]?.["junk"]?.share;
// @ts-expect-error lifecycle names are a closed set
const badStage: Lifecycle = "dormant";
// @ts-expect-error thresholds are numbers
classify({ orders: [] }, { churnDays: "365" });
void stage, evidenceValue, junkCount, atRiskCount, junkShare, badStage;

// Customer lifetime value.
import { summarize, fitBgNbd, fitGammaGamma, clv as lifetimeValue, TransactionModel } from "crmscore";
import type { BgNbdModel, CustomerSummary, GammaGammaParams } from "crmscore";
const summaries: CustomerSummary[] = summarize([{ customerId: "a", date: "2026-01-02", amount: 3 }], { unit: "week" });
const bg: BgNbdModel = fitBgNbd(summaries, { penalizer: 0.001 });
const alphaFitted: number = bg.params.alpha;
const alive = bg.pAlive(Float64Array.of(1), Float64Array.of(2), Float64Array.of(3));
const gg = fitGammaGamma(summaries);
const ggParams: GammaGammaParams = gg.params;
const values: Float64Array = lifetimeValue(bg, gg, summaries, { horizon: 52, step: 4, discountRatePerStep: 0.01 });
const restored: TransactionModel = TransactionModel.fromJSON(bg.toJSON());
// @ts-expect-error the unit is required
summarize([], {});
// @ts-expect-error a Pareto/NBD has no "a"
const noA: number = (null as unknown as import("crmscore").ParetoNbdModel).params.a;
void alphaFitted, alive, ggParams, values, restored, noA;

// The CRM data generator is its own entry point; its result is a ColumnarActivity.
import { generateCrm } from "crmscore/sample";
import type { CrmSample } from "crmscore/sample";
const generated: CrmSample = generateCrm({ customers: 10, seed: 1 });
const generatedActivity: ColumnarActivity = generated;
void firstDup; void generatedActivity;
