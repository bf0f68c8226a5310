// A real local HTTP server for the sandbox's automations to post to, standing in for an n8n webhook.
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
	method: string;
	/** Path and query, as sent. */
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/**
 * How the receiver answers each post, once its body is in: with that status and an empty body;
 * 'hold': not until release(), and at once after it; 'silent': never.
 */
export type Answering = number | 'hold' | 'silent';

export interface Receiver {
	/** e.g. http://127.0.0.1:41234, without a trailing slash. */
	url: string;
	/** Those whose body has arrived, in arrival order. */
	posts: ReceivedPost[];
	/** Requests arrived and not yet answered or cut. */
	open(): number;
	/** The most open at once. */
	maxOpen(): number;
	/** Answers the held posts with 200, and every later one at once. */
	release(): void;
	/** Resolves when `condition` holds, checked after each arrival, answer and cut. */
	until(condition: () => boolean, timeoutMs?: number): Promise<void>;
	close(): Promise<void>;
}

export async function startReceiver(answering: Answering = 200): Promise<Receiver> {
	const posts: ReceivedPost[] = [];
	const held: http.ServerResponse[] = [];
	let released = false;
	let open = 0;
	let maxOpen = 0;
	const changes = new EventEmitter();

	const answer = (res: http.ServerResponse, status: number) => res.writeHead(status).end();
	const server = http.createServer((req, res) => {
		open++;
		maxOpen = Math.max(maxOpen, open);
		res.once('close', () => {
			open--;
			changes.emit('change');
		});
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => {
			body += chunk;
		});
		req.on('end', () => {
			posts.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
			if (typeof answering === 'number') answer(res, answering);
			else if (answering === 'hold' && released) answer(res, 200);
			else if (answering === 'hold') held.push(res);
			changes.emit('change');
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		posts,
		open: () => open,
		maxOpen: () => maxOpen,
		release() {
			released = true;
			for (const res of held.splice(0)) answer(res, 200);
		},
		async until(condition, timeoutMs = 3_000) {
			const deadline = AbortSignal.timeout(timeoutMs);
			while (!condition()) {
				await once(changes, 'change', { signal: deadline }).catch(() => {
					throw new Error(`The receiver waited ${timeoutMs} ms for ${condition}`);
				});
			}
		},
		close() {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			return closed;
		},
	};
}

/** The URL of a loopback port where nothing listens: a server is started on it, then closed. */
export async function refusingUrl(): Promise<string> {
	const receiver = await startReceiver();
	await receiver.close();
	return receiver.url;
}
