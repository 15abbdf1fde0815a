msg.payload = { reset: true, cameras: msg.cameras || 'all', at: Date.now() };
return msg;
