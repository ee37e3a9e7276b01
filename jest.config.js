/** Two projects: the mini-program's components on jsdom, the server on node (SQLite, and PostgreSQL when DATABASE_URL is set). */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2022' } }]

module.exports = {
  // Suites that seed the whole demo (fees, fund, reports, votes) or start a server process need more than 30 s on a busy machine.
  testTimeout: 120000,
  // Two workers on two cores: most suites wait on PostgreSQL, a server process or a browser, so two
  // run side by side (one worker, jest's default here, runs every suite in band).
  maxWorkers: 2,
  projects: [
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/server'],
      // PostgreSQL suites run when DATABASE_URL names one (CI does); the PgBouncer suite is only
      // PostgreSQL, so without it the suite is not collected at all (never counted as a pass).
      testPathIgnorePatterns: process.env.DATABASE_URL ? ['/node_modules/'] : ['/node_modules/', 'pgbouncer\\.test\\.ts$'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      // light-my-request (fastify.inject) pulls cookie 2, which ships ESM only.
      transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
    },
    {
      displayName: 'client',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/client'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      moduleNameMapper: {
        '^@tarojs/taro$': '<rootDir>/test/client/mocks/taro.ts',
        '^@tarojs/components$': '<rootDir>/test/client/mocks/components.tsx',
        '\\.(css|scss)$': '<rootDir>/test/client/mocks/style.ts',
      },
    },
  ],
}
