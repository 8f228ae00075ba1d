/** Chat panel: the message list and the composer. Messages travel on each peer's `chat` data channel. */
import { $, h, formatTime, toast } from './ui.js';

export class ChatPanel {
  #call = null;
  #onUnread;

  /** @param {(count: number) => void} onUnread called with the unread count when it changes */
  constructor(onUnread) {
    this.#onUnread = onUnread;
    this.list = $('#messages');
    this.empty = $('#chat-empty');
    this.scroller = $('#chat-scroll');
    this.input = $('#chat-input');
    this.unread = 0;
    this.visible = false;
    $('#chat-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#send();
    });
  }

  attach(call) {
    this.#call = call;
    this.list.replaceChildren();
    this.empty.hidden = false;
    this.unread = 0;
    this.#onUnread(0);
  }

  setVisible(visible) {
    this.visible = visible;
    if (visible) {
      this.unread = 0;
      this.#onUnread(0);
      this.#scrollToEnd();
    }
  }

  /** Adds a message from the call's `chat` event. */
  add(message) {
    this.empty.hidden = true;
    const item = h('li', {
      class: `message ${message.self ? 'self' : ''}`, 'data-testid': 'chat-message',
      'data-self': String(message.self), 'data-from': message.from ?? '',
    },
    h('div', {
      class: 'meta',
      text: `${message.self ? 'You' : (message.name || 'Guest')} · ${formatTime(message.ts)}`,
    }),
    h('div', { class: 'bubble', text: message.text }));
    this.list.append(item);
    while (this.list.children.length > 500) this.list.firstElementChild.remove();
    this.#scrollToEnd();
    if (!message.self && !this.visible) {
      this.unread += 1;
      this.#onUnread(this.unread);
      toast(`${message.name || 'Guest'}: ${message.text.slice(0, 80)}`, { kind: 'info', testid: 'chat-toast' });
    }
  }

  /** A line about the room (joins, leaves). */
  system(text) {
    this.empty.hidden = true;
    this.list.append(h('li', { class: 'message system', text }));
    this.#scrollToEnd();
  }

  focus() {
    this.input.focus();
  }

  #send() {
    const text = this.input.value.trim();
    if (!text || !this.#call) return;
    if (this.#call.peers.size === 0) {
      toast('Nobody else is here yet — your message would reach no one.', { kind: 'warn' });
      return;
    }
    this.#call.sendChat(text);
    this.input.value = '';
  }

  #scrollToEnd() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
