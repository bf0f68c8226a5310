import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ServedRequest {
	value: { email?: string; contact_id?: number; event?: number };
	startedAt: number;
}

export interface Answer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
	delayMs?: number;
}

/**
 * A real HTTP server on 127.0.0.1 that answers each Platformly request as `answer` decides, after
 * an optional delay, and keeps what bulk tests need to see: when each request started and how
 * many were in flight at once.
 */
export async function startScriptedServer(answer: (request: ServedRequest, index: number) => Answer, port = 0) {
	const requests: ServedRequest[] = [];
	const sockets = new Set<Socket>();
	let inFlight = 0;
	let maxInFlight = 0;

	const server: Server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
		const startedAt = Date.now();
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		let body = '';
		incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
		incoming.on('end', () => {
			const request: ServedRequest = { value: JSON.parse(new URLSearchParams(body).get('value') ?? '{}'), startedAt };
			requests.push(request);
			const { status, body: replyBody, headers = {}, delayMs = 0 } = answer(request, requests.length - 1);
			setTimeout(() => {
				inFlight--;
				response.writeHead(status, { 'content-type': 'application/json', ...headers });
				response.end(typeof replyBody === 'string' ? replyBody : JSON.stringify(replyBody));
			}, delayMs);
		});
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests,
		maxInFlight: () => maxInFlight,
		close: async () => {
			sockets.forEach((socket) => socket.destroy());
			await new Promise((resolve) => server.close(resolve));
		},
	};
}
