import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import type { TemplatePaper } from '../../metadata/template'
import type { Logger } from '../context'
import { pageNumberFooter, paperMargins, paperSize } from './print-html'

/** Turns a print's HTML into PDF bytes. One per process; `close` on shutdown. */
export interface PdfPrinter {
  print(
    html: string,
    paper: TemplatePaper | undefined,
    locale: string,
  ): Promise<Uint8Array<ArrayBuffer>>
  close(): Promise<void>
}

/** Where Debian's Chromium is installed (the browser tests use the same one). */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium'

/** The flags a headless Chromium needs in a container, quiet on the network. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const

export interface ChromiumPrinterOptions {
  executablePath?: string
  /** Prints at once (default 2); more wait their turn. */
  concurrency?: number
  /** Longest a print may take (default 30 s). */
  timeoutMs?: number
  log?: Logger
}

/** Whether a Chromium is installed at `path`. */
export function isChromiumInstalled(path = DEFAULT_CHROMIUM_PATH): boolean {
  return existsSync(path)
}

/** A gate that lets `limit` tasks run at once, in the order they came. */
function createGate(limit: number) {
  let running = 0
  const waiting: (() => void)[] = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    running++
    try {
      return await task()
    } finally {
      running--
      waiting.shift()?.()
    }
  }
}

/**
 * A printer on one headless Chromium, launched at the first print and reused by the next ones
 * (relaunched if it died), at most `concurrency` pages at once. Each print runs in a fresh
 * context with JavaScript off and every network request refused: a template renders only what
 * the HTML holds (inline CSS, data: images).
 * @example const printer = createChromiumPrinter(); const pdf = await printer.print(html, { size: 'A4' }, 'zh-CN')
 */
export function createChromiumPrinter(options: ChromiumPrinterOptions = {}): PdfPrinter {
  const gate = createGate(Math.max(1, options.concurrency ?? 2))
  const timeout = options.timeoutMs ?? 30_000
  let browser: Promise<Browser> | null = null
  let closed = false

  const launch = async (): Promise<Browser> => {
    const { chromium } = await import('playwright-core')
    const launched = await chromium.launch({
      executablePath: options.executablePath ?? DEFAULT_CHROMIUM_PATH,
      args: [...CHROMIUM_FLAGS],
      timeout,
    })
    launched.on('disconnected', () => {
      browser = null
      if (!closed) options.log?.warn('Chromium for printing exited; the next print relaunches it')
    })
    return launched
  }

  const print = (html: string, paper: TemplatePaper | undefined, locale: string) =>
    gate(async () => {
      if (closed) throw new Error('The printer is closed')
      browser ??= launch().catch((error: unknown) => {
        browser = null
        throw error
      })
      const context = await (await browser).newContext({ javaScriptEnabled: false })
      try {
        await context.route('**/*', (route) => route.abort())
        const page = await context.newPage()
        page.setDefaultTimeout(timeout)
        await page.setContent(html, { waitUntil: 'load' })
        const { width, height } = paperSize(paper)
        const pdf = await page.pdf({
          width: `${width}mm`,
          height: `${height}mm`,
          margin: paperMargins(paper),
          printBackground: true,
          displayHeaderFooter: paper?.pageNumbers === true,
          headerTemplate: '<span></span>',
          footerTemplate: pageNumberFooter(locale),
        })
        return new Uint8Array(pdf)
      } finally {
        await context.close().catch(() => undefined)
      }
    })

  return {
    print,
    async close() {
      closed = true
      const open = browser
      browser = null
      if (open) await (await open.catch(() => null))?.close()
    },
  }
}
