// Child-process entry that hosts one simulator for the benchmarks, driven over IPC (start, summary,
// reset, close). Invariant: it answers every command once and exits after close.
import { startInline, type SimSpec } from './sim-host.js';

type Started = Awaited<ReturnType<typeof startInline>>;
let sim: Started | undefined;
let cpu0 = process.cpuUsage();

process.on('message', async (m: { id: number; cmd: string; arg?: unknown }) => {
  const reply = (value: unknown) => process.send!({ id: m.id, ok: true, value });
  try {
    switch (m.cmd) {
      case 'start': {
        sim = await startInline(m.arg as SimSpec);
        const { url, clientId, clientSecret, token, facts } = sim;
        return reply({ url, clientId, clientSecret, token, facts });
      }
      case 'summary': {
        const used = process.cpuUsage(cpu0);
        return reply({ ...sim!.summary(), serverCpuMs: (used.user + used.system) / 1000 });
      }
      case 'reset':
        sim!.reset();
        cpu0 = process.cpuUsage();
        return reply(null);
      case 'close':
        await sim?.close();
        reply(null);
        return process.disconnect();
      default:
        throw new Error(`unknown command ${m.cmd}`);
    }
  } catch (e) {
    process.send!({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
