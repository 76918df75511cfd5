// One server of the Bluesky side of bench/peer.sh, run from the packages that script installs into bench/out/peer/pds:
//   node bench/PeerServer.mjs plc PORT   a PLC directory (@did-plc/server) on 127.0.0.1:PORT, in memory
//   node bench/PeerServer.mjs pds        a PDS (@atproto/pds) configured by its PDS_* environment variables
// The PDS is started as the PDS's own service/index.js does (readEnv, envToCfg, envToSecrets, PDS.create, start).
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const install = process.env.PEER_INSTALL ?? path.join(here, 'out', 'peer', 'pds')
const require = createRequire(path.join(install, 'package.json'))
const load = (name) => import(pathToFileURL(require.resolve(name)).href)

const [role, port] = process.argv.slice(2)
if (role === 'plc') {
  // The PLC directory's in-memory database (Database.mock()), as atproto's own dev-env runs it: the move writes
  // one operation to it, so PostgreSQL behind it would change nothing measurable and is one service less to start.
  const { Database, PlcServer } = (await load('@did-plc/server')).default
  const plc = PlcServer.create({ db: Database.mock(), port: Number(port) })
  await plc.start()
  console.log(`plc listening on ${port}`)
  process.on('SIGTERM', async () => { await plc.destroy(); process.exit(0) })
} else if (role === 'pds') {
  const { PDS, envToCfg, envToSecrets, readEnv } = await load('@atproto/pds')
  const env = readEnv()
  const pds = await PDS.create(envToCfg(env), envToSecrets(env))
  await pds.start()
  console.log(`pds listening on ${env.port}`)
  process.on('SIGTERM', async () => { await pds.destroy(); process.exit(0) })
} else {
  console.error('usage: PeerServer.mjs plc PORT | pds')
  process.exit(2)
}
