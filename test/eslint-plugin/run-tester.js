// RuleTester estimates where a failing test case is written by reading the file that called
// `run` at the caller's line. Under vitest that line is one of the transformed module, which
// may lie past the end of a .ts file (then the estimator throws instead of showing the failure).
// Calling `run` from this small untyped module keeps the reported line inside the file.
export function runTester(tester, name, rule, tests) { tester.run(name, rule, tests); }
