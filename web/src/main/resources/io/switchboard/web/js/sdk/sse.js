/**
 * The HTTP fallback of signaling protocol v1 (§11) behind the part of the WebSocket interface that SignalingClient
 * uses: server messages arrive as Server-Sent Events from `GET /api/events`, client messages go out one at a time as
 * `POST /api/signal` with the session id from the first event. For networks that block WebSockets.
 * @module switchboard/sse
 */

/** A WebSocket look-alike over an EventSource and fetch. */
export class SseSocket {
  #base;
  #events;
  #session = null;
  #chain = Promise.resolve();
  #closed = false;

  /** @param {string|URL} base the server's http(s) base URL */
  constructor(base) {
    this.#base = new URL('/', base);
    this.readyState = 0;
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
    this.#events = new EventSource(new URL('/api/events', this.#base));
    this.#events.onmessage = (event) => this.#onEvent(event.data);
    this.#events.onerror = () => this.#end(1006, 'event stream ended');
  }

  /** The session id of the event stream (a secret), once open. */
  get session() { return this.#session; }

  /** Posts one client message; messages go out in order, each after the previous one was answered. */
  send(text) {
    if (this.readyState !== 1) throw new Error('The event stream is not open.');
    const session = this.#session;
    this.#chain = this.#chain.then(async () => {
      if (this.#closed) return;
      try {
        const response = await fetch(new URL('/api/signal', this.#base), {
          method: 'POST', body: text, cache: 'no-store',
          headers: { 'Content-Type': 'application/json', 'Switchboard-Session': session },
        });
        if (response.status === 404) this.#end(1006, 'unknown session');
      } catch {
        this.#end(1006, 'POST failed');
      }
    });
  }

  /** Ends the session after the messages already sent have been posted (so a `leave` arrives first). */
  close(code = 1000, reason = '') {
    if (this.#closed) return;
    this.readyState = 2;
    this.#chain.finally(() => this.#end(code, reason));
  }

  #onEvent(data) {
    if (this.#closed) return;
    if (this.#session === null) {
      try {
        const first = JSON.parse(data);
        if (first.type === 'session' && typeof first.session === 'string') {
          this.#session = first.session;
          this.readyState = 1;
          this.onopen?.({});
          return;
        }
      } catch {
        // fall through: not the session event
      }
    }
    this.onmessage?.({ data });
  }

  #end(code, reason) {
    if (this.#closed) return;
    this.#closed = true;
    this.readyState = 3;
    this.#events.close();
    if (code !== 1000) this.onerror?.({});
    this.onclose?.({ code, reason, wasClean: code === 1000 });
  }
}
