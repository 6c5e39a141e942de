import { defineConfig } from "vitest/config";

const postgresUrl = process.env.TEST_DATABASE_URL;
if (postgresUrl === undefined) {
  process.stdout.write(
    "\n*** PostgreSQL suite SKIPPED: TEST_DATABASE_URL is not set (set it to run every integration test on PostgreSQL too). ***\n\n",
  );
}

const integration = ["src/**/*.int.test.ts", "test/**/*.int.test.ts"];
/** Scale-out tests that only mean something with several processes on PostgreSQL. */
const postgresOnly = ["src/**/*.pg.int.test.ts", "test/**/*.pg.int.test.ts"];
/** Real-Chromium tests of the web app (web/e2e): they need `npm run build` and Debian's chromium. */
const browser = ["web/e2e/**/*.browser.test.ts"];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/**/*.test.ts", "packages/*/test/**/*.test.ts"],
          exclude: [...integration, ...browser],
        },
      },
      {
        test: {
          name: "sqlite",
          include: integration,
          exclude: [...postgresOnly, ...browser],
          env: { LEADWIRE_TEST_BACKEND: "sqlite" },
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "browser",
          include: browser,
          env: { LEADWIRE_TEST_BACKEND: "sqlite" },
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      ...(postgresUrl === undefined
        ? []
        : [
            {
              test: {
                name: "postgres",
                include: integration,
                exclude: browser,
                env: { LEADWIRE_TEST_BACKEND: "postgres", TEST_DATABASE_URL: postgresUrl },
                testTimeout: 30_000,
              },
            },
          ]),
    ],
  },
});
