// The Bluesky side of bench/peer.sh: fills an account on PDS A (10,000 app.bsky.feed.post records, 100 of them each
// embedding one 100 KB image uploaded with uploadBlob), then moves it to PDS B the way `goat account migrate` does,
// timed from the first step to B's activateAccount (Transplant's "Allow" to DONE), and checks what B then holds.
//   node bench/PeerBench.mjs PLC_URL A_URL B_URL A_DATA_DIR   (PEER_MOVES=N: N moves between the same servers)
// Talks XRPC with the runtime's fetch; reads the PLC email token from A's account database (a PDS without SMTP
// only logs its mails), as a person would read it from their inbox.
import { createRequire } from 'node:module'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const install = process.env.PEER_INSTALL ?? path.join(here, 'out', 'peer', 'pds')
const require = createRequire(path.join(install, 'package.json'))
const Sqlite = require('better-sqlite3')

const [plc, a, b, aData] = process.argv.slice(2)
const POSTS = Number(process.env.PEER_POSTS ?? 10000)
const PHOTOS = Number(process.env.PEER_PHOTOS ?? 100)
const PHOTO_BYTES = Number(process.env.PEER_PHOTO_BYTES ?? 100000)
const BLOB_CONCURRENCY = Number(process.env.PEER_BLOB_CONCURRENCY ?? 1)
const PASSWORD = 'bench password 1234'

async function xrpc(base, nsid, { token, query, body, raw, type, post, accept = 200 } = {}) {
  const url = new URL(`/xrpc/${nsid}`, base)
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v)
  const headers = {}
  if (token) headers.authorization = `Bearer ${token}`
  let payload
  if (raw !== undefined) {
    payload = raw
    headers['content-type'] = type
  } else if (body !== undefined) {
    payload = JSON.stringify(body)
    headers['content-type'] = 'application/json'
  }
  const res = await fetch(url, { method: payload === undefined && !post ? 'GET' : 'POST', headers, body: payload })
  if (res.status !== accept) throw new Error(`${nsid} on ${base} answered ${res.status}: ${await res.text()}`)
  const ct = res.headers.get('content-type') ?? ''
  if (ct.startsWith('application/json')) return res.json()
  const bytes = Buffer.from(await res.arrayBuffer())
  return { bytes, type: ct }
}

// Post texts of the size Transplant's synthetic posts have (SyntheticText.post: 5 + 55·r² words, some tags),
// cut to the 300 characters an app.bsky.feed.post allows.
const WORDS = ('the a of and to in is it that for on with as was at by this be from or are an have not but they ' +
  'photo morning coffee walk garden river city friends music book train weekend light rain mountain sunset ' +
  'evening bread cat dog bike market street window summer winter quiet little long after before today').split(' ')
const TAGS = ['photography', 'music', 'cats', 'hiking', 'cooking', 'linux', 'opensource', 'privacy', 'books', 'coffee']
let seed = 9
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
function text() {
  const r = rnd()
  const n = 5 + Math.floor(55 * r * r)
  const words = []
  for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(rnd() * WORDS.length)])
  let t = words.join(' ')
  t = t[0].toUpperCase() + t.slice(1) + '.'
  if (rnd() < 0.3) t += ' #' + TAGS[Math.floor(rnd() * TAGS.length)]
  return t.slice(0, 300)
}

function jpeg(bytes) {
  const b = randomBytes(bytes)
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]).copy(b) // JFIF header
  b[bytes - 2] = 0xff
  b[bytes - 1] = 0xd9
  return b
}

const secs = (t0) => (performance.now() - t0) / 1000

async function fill() {
  const t0 = performance.now()
  const handle = `mover${Date.now() % 100000}.test`
  const email = `${handle}@example.org`
  const session = await xrpc(a, 'com.atproto.server.createAccount', { body: { handle, email, password: PASSWORD } })
  const token = session.accessJwt
  const images = []
  for (let i = 0; i < PHOTOS; i++) {
    const up = await xrpc(a, 'com.atproto.repo.uploadBlob', { token, raw: jpeg(PHOTO_BYTES), type: 'image/jpeg' })
    images.push(up.blob)
  }
  let textBytes = 0
  const base = Date.now() - POSTS * 60000
  for (let start = 0; start < POSTS; start += 200) {
    const writes = []
    for (let i = start; i < Math.min(POSTS, start + 200); i++) {
      const record = { $type: 'app.bsky.feed.post', text: text(), createdAt: new Date(base + i * 60000).toISOString() }
      textBytes += Buffer.byteLength(record.text)
      if (i < images.length) {
        record.embed = { $type: 'app.bsky.embed.images', images: [{ image: images[i], alt: `photo ${i}` }] }
      }
      writes.push({ $type: 'com.atproto.repo.applyWrites#create', collection: 'app.bsky.feed.post', value: record })
    }
    await xrpc(a, 'com.atproto.repo.applyWrites', { token, body: { repo: session.did, writes } })
  }
  console.log(`filled A in ${secs(t0).toFixed(1)} s: ${POSTS} posts (text ${(textBytes / POSTS).toFixed(0)} bytes ` +
    `on average), ${PHOTOS} images of ${PHOTO_BYTES} bytes embedded in the first ${PHOTOS}`)
  return { did: session.did, handle, email, token }
}

async function migrate(account) {
  const steps = []
  let last = performance.now()
  const step = (name) => { const now = performance.now(); steps.push([name, (now - last) / 1000]); last = now }
  const t0 = performance.now()
  const old = await xrpc(a, 'com.atproto.server.createSession', { body: { identifier: account.did, password: PASSWORD } })
  const desc = await xrpc(b, 'com.atproto.server.describeServer')
  const auth = await xrpc(a, 'com.atproto.server.getServiceAuth', {
    token: old.accessJwt,
    query: { aud: desc.did, lxm: 'com.atproto.server.createAccount', exp: Math.floor(Date.now() / 1000) + 600 },
  })
  const created = await xrpc(b, 'com.atproto.server.createAccount', {
    token: auth.token,
    body: { did: account.did, handle: account.handle, email: account.email, password: PASSWORD },
  })
  const token = created.accessJwt
  step('log in, service auth, createAccount')
  const car = await xrpc(a, 'com.atproto.sync.getRepo', { query: { did: account.did } })
  step(`getRepo (${(car.bytes.length / 1e6).toFixed(1)} MB)`)
  await xrpc(b, 'com.atproto.repo.importRepo', { token, raw: car.bytes, type: 'application/vnd.ipld.car' })
  step('importRepo')
  let blobs = 0
  let cursor
  do {
    const page = await xrpc(b, 'com.atproto.repo.listMissingBlobs', { token, query: { limit: 1000, cursor } })
    cursor = page.cursor
    const queue = page.blobs.map((m) => m.cid)
    const worker = async () => {
      for (let cid; (cid = queue.shift()); ) {
        const blob = await xrpc(a, 'com.atproto.sync.getBlob', { query: { did: account.did, cid } })
        await xrpc(b, 'com.atproto.repo.uploadBlob', { token, raw: blob.bytes, type: blob.type })
        blobs++
      }
    }
    await Promise.all(Array.from({ length: BLOB_CONCURRENCY }, worker))
  } while (cursor)
  step(`${blobs} blobs (listMissingBlobs, getBlob, uploadBlob)`)
  const prefs = await xrpc(a, 'app.bsky.actor.getPreferences', { token: old.accessJwt })
  await xrpc(b, 'app.bsky.actor.putPreferences', { token, body: prefs })
  step('preferences')
  const creds = await xrpc(b, 'com.atproto.identity.getRecommendedDidCredentials', { token })
  await xrpc(a, 'com.atproto.identity.requestPlcOperationSignature', { token: old.accessJwt, post: true })
  const db = new Sqlite(path.join(aData, 'account.sqlite'), { readonly: true })
  const row = db.prepare("SELECT token FROM email_token WHERE did = ? AND purpose = 'plc_operation'").get(account.did)
  db.close()
  const signed = await xrpc(a, 'com.atproto.identity.signPlcOperation', {
    token: old.accessJwt,
    body: { token: row.token, ...creds },
  })
  await xrpc(b, 'com.atproto.identity.submitPlcOperation', { token, body: { operation: signed.operation } })
  step('PLC operation (credentials, email token, sign, submit)')
  await xrpc(b, 'com.atproto.server.activateAccount', { token, post: true })
  step('activateAccount')
  const total = secs(t0)
  const td = performance.now()
  await xrpc(a, 'com.atproto.server.deactivateAccount', { token: old.accessJwt, body: {} })
  for (const [name, s] of steps) console.log(`  ${name.padEnd(55)} ${s.toFixed(2).padStart(6)} s`)
  console.log(`  (then deactivateAccount on A: ${secs(td).toFixed(2)} s)`)
  return { total, token }
}

async function check(account, token) {
  const status = await xrpc(b, 'com.atproto.server.checkAccountStatus', { token })
  let posts = 0
  let cursor
  do {
    const page = await xrpc(b, 'com.atproto.repo.listRecords', {
      query: { repo: account.did, collection: 'app.bsky.feed.post', limit: 100, cursor },
    })
    posts += page.records.length
    cursor = page.records.length ? page.cursor : undefined
  } while (cursor)
  let blobs = 0
  cursor = undefined
  do {
    const page = await xrpc(b, 'com.atproto.sync.listBlobs', { query: { did: account.did, limit: 1000, cursor } })
    blobs += page.cids.length
    cursor = page.cids.length ? page.cursor : undefined
  } while (cursor)
  const doc = await (await fetch(`${plc}/${account.did}`)).json()
  const endpoint = doc.service?.find((s) => s.id === '#atproto_pds')?.serviceEndpoint
  const ok = status.activated && status.validDid && posts === POSTS && blobs === PHOTOS && endpoint === b &&
    status.importedBlobs === PHOTOS
  console.log(`B holds ${posts} posts and ${blobs} blobs (checkAccountStatus: ${status.indexedRecords} records, ` +
    `${status.importedBlobs}/${status.expectedBlobs} blobs, activated ${status.activated}, validDid ` +
    `${status.validDid}); the PLC document points to ${endpoint}${ok ? '' : ': NOT WHOLE'}`)
  return ok
}

// PEER_MOVES=N: N accounts filled and moved one after another between the same servers (the later ones warm).
const MOVES = Number(process.env.PEER_MOVES ?? 1)
let whole = true
for (let move = 1; move <= MOVES; move++) {
  if (MOVES > 1) console.log(`move ${move} of ${MOVES}`)
  const account = await fill()
  const { total, token } = await migrate(account)
  const ok = await check(account, token)
  whole &&= ok
  console.log(`PDS move: first step to activateAccount in ${total.toFixed(2)} s${ok ? '' : ' (incomplete)'}`)
}
process.exit(whole ? 0 : 1)
