// A loopback endpoint through which a hidden suite asks drill to restart the learner's server
// or to show its output. Only `drill check` (which started the server) offers it.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ControlHandlers {
  restart(env: Record<string, string>): Promise<void>;
  output(): string;
}

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startControlServer(handlers: ControlHandlers): Promise<ControlServer> {
  // A random path segment, so only the suite drill started can drive the server.
  const token = randomBytes(12).toString("hex");
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const send = (status: number, body: string) => {
        res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
        res.end(body);
      };
      try {
        if (req.method === "POST" && req.url === `/${token}/restart`) {
          const body = await readBody(req);
          const env = body ? ((JSON.parse(body) as { env?: Record<string, string> }).env ?? {}) : {};
          await handlers.restart(env);
          send(200, "restarted");
        } else if (req.method === "GET" && req.url === `/${token}/output`) {
          send(200, handlers.output());
        } else {
          send(404, "unknown control request");
        }
      } catch (error) {
        send(500, `drill could not do that: ${(error as Error).message}`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
