// A day's hours as CSV, asked of analytics-history: yesterday at night, today (so far) from the button.
// By the calendar, not 24 h back: the night after a 23-hour day is still the next day.
const now = new Date();
const at = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (msg.topic === 'export today' ? 0 : 1));
const two = (n) => String(n).padStart(2, '0');
const date = at.getFullYear() + '-' + two(at.getMonth() + 1) + '-' + two(at.getDate());
return { topic: 'history', exportDate: date, payload: { from: date, to: date, step: 'hour', format: 'csv' } };
