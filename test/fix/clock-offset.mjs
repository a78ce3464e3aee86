// Test preload: the app's process sees the clock the mock sees after `advanceTime` (the mock and
// the app agree that hours have passed). SC_TEST_CLOCK_OFFSET_MS milliseconds are added to Date.now.
const offset = Number(process.env.SC_TEST_CLOCK_OFFSET_MS ?? 0);
if (offset) {
  const now = Date.now.bind(Date);
  Date.now = () => now() + offset;
}
