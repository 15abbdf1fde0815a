if (msg.payload !== 'Reset') return null;
return { topic: 'reset' };
