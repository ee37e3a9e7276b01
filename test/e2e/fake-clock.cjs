// Preloaded into the server process by the votes e2e test (NODE_OPTIONS=--require): shifts the
// process clock by the number of milliseconds written in FAKE_CLOCK_FILE, re-read every 100 ms,
// so a test can move a running server through a 15-day notice period and a voting window.
const fs = require('node:fs')

const file = process.env.FAKE_CLOCK_FILE
if (file) {
  const RealDate = Date
  let offset = 0
  const read = () => {
    try {
      offset = Number(fs.readFileSync(file, 'utf8')) || 0
    } catch {
      offset = 0
    }
  }
  read()
  setInterval(read, 100).unref()
  class FakeDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset)
      else super(...args)
    }
    static now() {
      return RealDate.now() + offset
    }
  }
  globalThis.Date = FakeDate
}
