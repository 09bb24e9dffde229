import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import S3rver from 's3rver'
import type { S3Settings } from '../../runtime/files'

/** A real S3-compatible server on the loopback, with one bucket and the key pair it accepts. */
export interface S3Server {
  settings: S3Settings
  /** The folder where it keeps its objects (to look at what is stored). */
  directory: string
  close(): Promise<void>
}

/**
 * Starts s3rver on a free port with an empty bucket `trellis`, path-style, keys `S3RVER`. It
 * refuses an access key it does not know; it does not check SigV4 signatures (its 3.7.1 leaves
 * them unimplemented), so the signer's own test checks those against AWS's vectors.
 */
export async function startS3Server(): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'trellis-s3-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: 'trellis' }],
  })
  const { port } = await server.run()
  return {
    settings: {
      endpoint: `http://127.0.0.1:${port}`,
      bucket: 'trellis',
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      prefix: '',
      pathStyle: true,
    },
    directory,
    async close() {
      await server.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}
