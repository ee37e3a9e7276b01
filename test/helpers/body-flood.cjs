// Sends N concurrent POSTs of BYTES each (streamed in 64 KB chunks) to http://127.0.0.1:PORT/PATH
// and prints a JSON array of the outcomes (HTTP status, or "closed" when the server hung up).
// A separate process, so the flood's own work does not slow the server under test.
const http = require('node:http')
const [port, path, n, bytes] = process.argv.slice(2)
const chunk = Buffer.alloc(64 * 1024, 0x20)
function one() {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port: Number(port), path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': bytes } })
    let sent = 0
    let done = false
    const finish = (v) => { if (!done) { done = true; resolve(v); req.destroy() } }
    req.on('response', (res) => { res.resume(); finish(res.statusCode) })
    req.on('error', () => finish('closed'))
    const pump = () => {
      while (sent < Number(bytes) && !done) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!done) req.end()
    }
    pump()
  })
}
const timer = setTimeout(() => { console.log(JSON.stringify(['timeout'])); process.exit(1) }, 60_000)
Promise.all(Array.from({ length: Number(n) }, one)).then((r) => { clearTimeout(timer); console.log(JSON.stringify(r)) })
