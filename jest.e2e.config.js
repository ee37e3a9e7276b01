/** End-to-end tests: Debian's Chromium driven by playwright-core against the H5 build served by our server. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  testTimeout: 120000,
}
