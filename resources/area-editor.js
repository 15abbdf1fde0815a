/*
 * Drawing lines and zones on the camera picture, in the edit dialogs of line-counter and
 * zone-monitor. Served by Node-RED from this package's resources/ folder. Coordinates are kept as
 * fractions of the picture (0-1, 4 decimals), so a change of camera resolution keeps them.
 *
 *   const editor = StoreAnalyticsAreas.create({
 *     node,                         // the node being edited
 *     kind: 'lines' | 'zones',
 *     container,                    // where the widget goes
 *     field: '#node-input-lines',   // the hidden input oneditsave reads: the JSON list, or ${VAR}
 *     cameraField: '#node-input-camera',
 *     onChange(shapes),             // optional: after every change
 *   });
 *   editor.names(); editor.resize(); editor.destroy();
 */
(function () {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  const COLOURS = ['#e0664b', '#2ca02c', '#1f77b4', '#ff7f0e', '#9467bd', '#17becf', '#d62728', '#bcbd22'];
  /** A blank stage when there is no picture: 16:9. */
  const BLANK = { width: 1600, height: 900 };
  /** While a deployed camera has no picture yet (409), ask again this often, this many times. */
  const RETRY_MS = 2000;
  const RETRIES = 30;
  const round = (v) => Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;
  const copy = (v) => JSON.parse(JSON.stringify(v));

  /** Every word the widget shows, in one place. */
  const TEXT = {
    lines: {
      title: 'Lines',
      icon: 'fa-exchange',
      one: 'line',
      none: 'No lines yet: drag across the picture where people should be counted.',
      hint: 'Drag on the picture to draw a line; the arrow points the way that counts as <b>in</b>. Drag an end or the line to move it. Select an end and press <kbd>Delete</kbd> (or right-click it) to remove the line; <kbd>Shift</kbd>+drag draws over another line.',
      envVariable: 'COUNTING_LINES',
    },
    zones: {
      title: 'Zones',
      icon: 'fa-object-ungroup',
      one: 'zone',
      none: 'No zones yet: click the corners of an area on the picture.',
      hint: 'Click the corners of a zone on the picture; click the first corner (or double-click) to close it, <kbd>Esc</kbd> to cancel. Drag a corner or the zone to move it; select a corner and press <kbd>Delete</kbd> (or right-click it) to remove it (a zone keeps at least 3). <kbd>Shift</kbd>+click starts a zone inside another.',
      envVariable: 'COUNTING_ZONES',
    },
    noCamera: 'No camera (rtsp-in) is wired to this node, so there is no picture.',
    loading: 'loading the picture…',
    unreachable: 'the editor cannot reach Node-RED',
    blankBecause: 'No picture: ',
    blankAfter:
      'Draw on this blank frame meanwhile: shapes are kept as fractions of the frame, so they fit the picture later.',
    refresh: 'Load the camera picture again',
    pick: 'The camera whose picture is shown',
    envButton: 'From an environment variable',
    envButtonTip:
      'Take the shapes from an environment variable at deploy (a JSON list in fractions, or {"…": [...], "size": [w, h]} in pixels) instead of drawing them here',
    envText: 'Taken at deploy from the environment variable',
    envAfter: 'The picture cannot show them here; drawing replaces the variable with the drawing.',
    envUseDrawing: 'use the drawing',
    unreadable: 'The saved setting is not a JSON list, so it is not shown; drawing here replaces it.',
    reverse: 'reverse',
    reverseTip: 'Swap the ends: what counted as in counts as out',
    queue: 'queue',
    queueTip: 'A queue (a till): the zone also gives queue length and wait times',
    remove: 'Delete',
    inWay: 'in:',
    threeCorners: (name) =>
      'A zone needs at least 3 corners: "' +
      name +
      '" keeps its corners (its trash button deletes the zone).',
    everyCamera: (id) =>
      'Camera is empty: every camera wired here is counted with these shapes (the picture is ' +
      id +
      "'s). Choose a camera above to count that one only.",
    oneCamera: (id) =>
      'Counts camera ' + id + ' only (the Camera setting). Empty Camera: every camera, with these shapes.',
    notWired: (id) => 'Camera "' + id + '" is not wired to this node: it would count nothing. Wired: ',
  };

  // The widget's look, once for both dialogs (Node-RED's theme colours where it has them).
  if (!document.getElementById('sa-areas-style')) {
    const style = document.createElement('style');
    style.id = 'sa-areas-style';
    style.textContent = [
      '.sa-areas{width:100%}',
      '.sa-areas-head{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-bottom:6px;min-height:34px}',
      '.sa-areas-head > label.sa-areas-title{width:130px;margin:0;flex:none}',
      '.red-ui-editor .sa-areas-head select.sa-areas-camera{width:auto;min-width:120px;max-width:220px;margin:0}',
      '.sa-areas-note{color:var(--red-ui-secondary-text-color,#888);font-size:.92em;flex:1 1 160px;min-width:0}',
      '.sa-areas-head .sa-areas-env-button{margin-left:auto}',
      '.sa-areas-env{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin:0 0 6px;padding:6px 8px;border:1px solid var(--red-ui-secondary-border-color,#ddd);border-radius:3px;background:var(--red-ui-form-tips-background,#ffe)}',
      '.red-ui-editor .sa-areas-env input.sa-areas-env-name{width:190px;margin:0}',
      '.sa-areas-env .sa-areas-env-after{flex:1 0 100%;color:var(--red-ui-secondary-text-color,#888);font-size:.92em}',
      '.sa-areas-env code{margin:0}',
      '.sa-areas-main{display:flex;gap:12px;align-items:flex-start;flex-wrap:wrap}',
      '.sa-areas-view{flex:1 1 400px;min-width:260px}',
      '.sa-areas-side{flex:1 1 230px;min-width:230px}',
      '.sa-areas-stage{position:relative;width:100%;background:#222;border-radius:3px;overflow:hidden;outline:none;user-select:none;-webkit-user-select:none}',
      '.sa-areas-stage:focus-visible,.sa-areas-stage.sa-focus{box-shadow:0 0 0 2px var(--red-ui-form-input-focus-color,#2e7acc)}',
      '.sa-areas-blank{background:repeating-linear-gradient(45deg,#333,#333 12px,#3a3a3a 12px,#3a3a3a 24px)}',
      '.sa-areas-picture{position:absolute;inset:0;width:100%;height:100%;display:block;max-width:none !important}',
      '.sa-areas-blank .sa-areas-picture{display:none}',
      '.sa-areas-message{position:absolute;inset:0;display:none;align-items:center;justify-content:center;padding:12% 14%;text-align:center;color:#e8e8e8;font-size:1.05em;line-height:1.45;pointer-events:none;text-shadow:0 1px 2px #000}',
      '.sa-areas-blank .sa-areas-message{display:flex}',
      '.sa-areas-svg{position:absolute;inset:0;width:100%;height:100%;cursor:crosshair;touch-action:none}',
      '.sa-areas-svg .sa-handle{cursor:move}.sa-areas-svg .sa-body{cursor:grab}',
      '.sa-areas-svg .sa-label{fill:#fff;paint-order:stroke;stroke:#000;stroke-width:3px;stroke-linejoin:round;pointer-events:none;font-family:sans-serif;font-weight:bold}',
      '.sa-areas-svg .sa-arrow,.sa-areas-svg .sa-draft{pointer-events:none}',
      '.sa-areas-hint{color:var(--red-ui-secondary-text-color,#888);font-size:.88em;line-height:1.45;margin:6px 0 0}',
      '.sa-areas-hint kbd{font-family:inherit;font-size:.95em;padding:0 4px;border:1px solid var(--red-ui-secondary-border-color,#ddd);border-radius:3px;background:var(--red-ui-secondary-background,#fff)}',
      '.red-ui-editor ol.sa-areas-list{list-style:none;margin:0;padding:0}',
      '.sa-areas-row{display:flex;gap:6px;align-items:center;flex-wrap:wrap;padding:5px 6px;margin-bottom:4px;border:1px solid var(--red-ui-secondary-border-color,#ddd);border-radius:3px;background:var(--red-ui-secondary-background,#fff)}',
      '.sa-areas-row.sa-selected{background:var(--red-ui-list-item-background-selected,#ffebc7);border-color:var(--red-ui-list-item-border-selected,#666)}',
      '.red-ui-editor .sa-areas-row input.sa-areas-name{flex:1 1 100px;min-width:80px;width:auto;margin:0}',
      '.sa-areas-row .sa-areas-detail{flex:1 0 100%;box-sizing:border-box;display:flex;gap:8px;align-items:center;padding-left:20px;color:var(--red-ui-secondary-text-color,#888);font-size:.92em}',
      '.sa-areas-detail .sa-areas-way{flex:1}',
      '.red-ui-editor .sa-areas-detail label.sa-areas-queue{width:auto;margin:0;flex:1;cursor:pointer}',
      '.red-ui-editor .sa-areas-detail label.sa-areas-queue input{width:auto;margin:0 4px 0 0;vertical-align:middle}',
      '.sa-swatch{width:14px;height:14px;border-radius:3px;flex:none;border:1px solid rgba(0,0,0,.25)}',
      '.sa-areas-empty{color:var(--red-ui-secondary-text-color,#888);font-style:italic;padding:4px 0}',
      '.sa-areas-camera-note{margin-top:6px;color:var(--red-ui-secondary-text-color,#888);font-size:.9em;line-height:1.4}',
      '.sa-areas-camera-note.sa-warning{color:var(--red-ui-text-color-error,#ad1625)}',
    ].join('\n');
    document.head.appendChild(style);
  }

  /** The rtsp-in nodes upstream of `node`: through wires, and from `link in` nodes to their `link out`s. */
  function upstreamCameras(node) {
    const seen = new Set();
    const cameras = [];
    const queue = [node];
    while (queue.length > 0) {
      const n = queue.shift();
      if (!n || seen.has(n.id)) continue;
      seen.add(n.id);
      if (n.type === 'rtsp-in') {
        if (!n.d) cameras.push(n); // a disabled camera sends nothing
        continue;
      }
      RED.nodes.filterLinks({ target: n }).forEach((l) => queue.push(l.source));
      if (n.type === 'link in') (n.links || []).forEach((id) => queue.push(RED.nodes.node(id)));
    }
    return cameras;
  }

  /** The camera id as rtsp-in takes it (nodes/rtsp-in/rtsp-in.ts): its camera id, else its name, else its node id. */
  const cameraIdOf = (n) => String(n.cameraId || n.name || n.id).trim();

  function el(tag, attrs, parent) {
    const e = document.createElementNS(SVG, tag);
    for (const k of Object.keys(attrs || {})) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  /**
   * Fetches the camera's picture from the admin endpoint (nodes/rtsp-in/rtsp-in.ts) with the editor's
   * admin token (an <img src> cannot send it). Resolves an object URL; rejects with the endpoint's
   * words and its HTTP status.
   */
  function fetchFrame(camera) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const url =
        'store-analytics/frame/' +
        encodeURIComponent(camera.id) +
        '?url=' +
        encodeURIComponent(camera.url || '');
      xhr.open('GET', url);
      xhr.responseType = 'blob';
      const tokens = RED.settings.get('auth-tokens');
      if (tokens && tokens.access_token)
        xhr.setRequestHeader('Authorization', 'Bearer ' + tokens.access_token);
      const fail = (text, status) => {
        const err = new Error(text);
        err.status = status;
        reject(err);
      };
      xhr.onload = () => {
        if (xhr.status === 200) {
          resolve(URL.createObjectURL(xhr.response));
          return;
        }
        const status = xhr.status;
        const body = xhr.response && xhr.response.text ? xhr.response.text() : Promise.resolve('');
        body.then(
          (text) =>
            fail(
              status === 401 || status === 403 ? 'not allowed to read cameras' : text || 'HTTP ' + status,
              status,
            ),
          () => fail('HTTP ' + status, status),
        );
      };
      xhr.onerror = () => fail(TEXT.unreachable, 0);
      xhr.send();
    });
  }

  /** Which way "in" goes across a line, in words: the side where cross(to - from, p - from) < 0. */
  function inWay(line) {
    const dx = line.to[0] - line.from[0];
    const dy = line.to[1] - line.from[1];
    // The "in" direction is (dy, -dx) (x right, y down): cross((dx, dy), (dy, -dx)) = -(dx² + dy²) < 0.
    const nx = dy;
    const ny = -dx;
    if (Math.abs(nx) >= Math.abs(ny)) return nx > 0 ? 'left → right' : 'right → left';
    return ny > 0 ? 'top → bottom' : 'bottom → top';
  }

  function create(options) {
    const kind = options.kind;
    const words = TEXT[kind];
    const isLines = kind === 'lines';
    const node = options.node;
    const field = $(options.field);
    const cameraField = options.cameraField ? $(options.cameraField) : $();
    const saved = field.length ? String(field.val() || '') : '';
    let envMode = isEnvReference(saved);
    let unreadable = false;
    let shapes = [];
    if (!envMode) {
      try {
        shapes = parse(saved).map(copy);
      } catch {
        unreadable = true;
      }
    }
    let size = { width: BLANK.width, height: BLANK.height };
    let selected = shapes.length > 0 ? 0 : -1;
    let selectedPoint = -1;
    let draft = null; // a zone being drawn (its corners), or a line being dragged out
    let drag = null; // { shape, point (-1: the whole shape), start, original, moved }
    let objectUrl = null;
    let loadSeq = 0;
    let retryTimer = null;
    let destroyed = false;

    const root = $('<div class="sa-areas">').appendTo(options.container);
    const head = $('<div class="sa-areas-head">').appendTo(root);
    $('<label class="sa-areas-title">')
      .append($('<i class="fa">').addClass(words.icon), ' ', $('<span>').text(words.title))
      .appendTo(head);
    const picker = $('<select class="sa-areas-camera">').attr('title', TEXT.pick).appendTo(head);
    const refresh = $(
      '<button type="button" class="red-ui-button red-ui-button-small sa-areas-refresh"><i class="fa fa-refresh"></i></button>',
    )
      .attr('title', TEXT.refresh)
      .appendTo(head);
    const note = $('<span class="sa-areas-note">').appendTo(head);
    const envButton = $(
      '<button type="button" class="red-ui-button red-ui-button-small sa-areas-env-button"><i class="fa fa-cog"></i> </button>',
    )
      .append(document.createTextNode('${ENV}'))
      .attr('title', TEXT.envButtonTip)
      .attr('aria-label', TEXT.envButton)
      .appendTo(head);

    const envBox = $('<div class="sa-areas-env">').appendTo(root);
    $('<i class="fa fa-cog">').appendTo(envBox);
    $('<span>').text(TEXT.envText).appendTo(envBox);
    $('<code>').text('${').appendTo(envBox);
    const envName = $('<input type="text" class="sa-areas-env-name" spellcheck="false">')
      .attr('placeholder', words.envVariable)
      .attr('aria-label', 'environment variable')
      .appendTo(envBox);
    $('<code>').text('}').appendTo(envBox);
    const envDrawing = $('<button type="button" class="red-ui-button red-ui-button-small">')
      .text(TEXT.envUseDrawing)
      .appendTo(envBox);
    $('<span class="sa-areas-env-after">').text(TEXT.envAfter).appendTo(envBox);
    const unreadableBox = $('<div class="form-tips sa-areas-unreadable">')
      .text(TEXT.unreadable)
      .appendTo(root);

    const main = $('<div class="sa-areas-main">').appendTo(root);
    const view = $('<div class="sa-areas-view">').appendTo(main);
    const stage = $('<div class="sa-areas-stage" tabindex="0">')
      .attr('aria-label', words.title + ' on the camera picture')
      .appendTo(view);
    const img = $('<img class="sa-areas-picture" alt="">').appendTo(stage);
    const svg = el('svg', { class: 'sa-areas-svg', preserveAspectRatio: 'none' });
    stage.append(svg);
    const message = $('<div class="sa-areas-message">').appendTo(stage);
    $('<div class="sa-areas-hint">').html(words.hint).appendTo(view);
    const side = $('<div class="sa-areas-side">').appendTo(main);
    const list = $('<ol class="sa-areas-list">').appendTo(side);
    const cameraNote = $('<div class="sa-areas-camera-note">').appendTo(side);

    // ---- The setting: the drawing as JSON, or an environment variable's name. ----

    function writeField() {
      if (envMode) return;
      field.val(JSON.stringify(shapes)).trigger('change');
    }

    function changed() {
      unreadable = false;
      if (envMode) envMode = false; // drawing replaces the variable
      writeField();
      showSetting();
      if (options.onChange) options.onChange(shapes.map(copy));
    }

    function showSetting() {
      envBox.toggle(envMode);
      envButton.toggle(!envMode);
      unreadableBox.toggle(unreadable && !envMode);
      if (envMode) {
        const m = /^\s*\$\{([^}]*)\}\s*$/.exec(String(field.val() || ''));
        if (m && envName.val() !== m[1]) envName.val(m[1]);
      }
    }

    envButton.on('click', () => {
      envMode = true;
      const name = String(envName.val() || '').trim() || words.envVariable;
      envName.val(name);
      field.val('${' + name + '}').trigger('change');
      showSetting();
      envName.trigger('focus');
    });
    envName.on('input', () => {
      const name = String(envName.val() || '').trim();
      const ok = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
      envName.toggleClass('input-error', !ok);
      if (ok) field.val('${' + name + '}').trigger('change');
    });
    envDrawing.on('click', () => {
      envMode = false;
      writeField();
      showSetting();
    });

    // ---- The camera: the ones wired to this node; the Camera setting picks one. ----

    const cameras = upstreamCameras(node);
    const cameraWanted = () => String(cameraField.val() || '').trim();

    function fillPicker() {
      picker.empty();
      cameras.forEach((c) => picker.append($('<option>').val(c.id).text(cameraIdOf(c))));
      picker.toggle(cameras.length > 1);
      refresh.toggle(cameras.length > 0);
      const match = cameras.find((c) => cameraIdOf(c) === cameraWanted());
      if (cameras.length > 0) picker.val((match || cameras[0]).id);
    }
    const currentCamera = () => cameras.find((c) => c.id === picker.val());

    /** What the Camera setting means for this drawing, beside the list. */
    function showCameraNote() {
      const wanted = cameraWanted();
      const ids = cameras.map(cameraIdOf);
      cameraNote.removeClass('sa-warning').text('');
      if (wanted && cameras.length > 0 && !ids.includes(wanted)) {
        cameraNote.addClass('sa-warning').text(TEXT.notWired(wanted) + ids.join(', '));
      } else if (cameras.length > 1) {
        const camera = currentCamera();
        cameraNote.text(wanted ? TEXT.oneCamera(wanted) : TEXT.everyCamera(camera ? cameraIdOf(camera) : ''));
      }
    }

    function showBlank(reason) {
      img.removeAttr('src');
      size = { width: BLANK.width, height: BLANK.height };
      stage.addClass('sa-areas-blank');
      message.text(reason + ' ' + TEXT.blankAfter);
      render();
    }

    function showPicture(attempt) {
      clearTimeout(retryTimer);
      const seq = ++loadSeq;
      const camera = currentCamera();
      if (!camera) {
        note.text('');
        showBlank(TEXT.noCamera);
        return;
      }
      const id = cameraIdOf(camera);
      note.text(id + ': ' + TEXT.loading);
      fetchFrame(camera).then(
        (url) => {
          if (destroyed || seq !== loadSeq) {
            URL.revokeObjectURL(url);
            return;
          }
          img.off('load error');
          img.one('load', () => {
            // The dialog closed while the picture decoded: nothing to draw, and the URL is not kept.
            if (destroyed) {
              URL.revokeObjectURL(url);
              return;
            }
            if (objectUrl && objectUrl !== url) URL.revokeObjectURL(objectUrl);
            objectUrl = url;
            size = { width: img[0].naturalWidth, height: img[0].naturalHeight };
            // The select names the camera when there are several.
            note.text((cameras.length > 1 ? '' : id + ' · ') + size.width + ' × ' + size.height);
            stage.removeClass('sa-areas-blank');
            render();
          });
          img.one('error', () => {
            URL.revokeObjectURL(url);
            if (destroyed) return;
            note.text(id);
            showBlank(TEXT.blankBecause + 'the picture from ' + id + ' could not be shown.');
          });
          img.attr('src', url);
        },
        (err) => {
          if (destroyed || seq !== loadSeq) return;
          note.text(cameras.length > 1 ? '' : id);
          showBlank(TEXT.blankBecause + err.message + '.');
          // Deployed, but no picture yet (connecting): it comes by itself.
          if (err.status === 409 && (attempt || 0) < RETRIES) {
            retryTimer = setTimeout(() => showPicture((attempt || 0) + 1), RETRY_MS);
          }
        },
      );
    }

    picker.on('change', () => {
      // Several cameras: the picture chosen is the camera counted (a node counts one camera's door).
      const camera = currentCamera();
      if (camera && cameras.length > 1) cameraField.val(cameraIdOf(camera)).trigger('change');
      showCameraNote();
      showPicture();
    });
    refresh.on('click', () => showPicture());
    cameraField.on('input.sa-areas change.sa-areas', () => {
      const match = cameras.find((c) => cameraIdOf(c) === cameraWanted());
      if (match && match.id !== picker.val()) {
        picker.val(match.id);
        showPicture();
      }
      showCameraNote();
    });

    // ---- Drawing. ----

    /** Picture pixels of a fraction point; a pointer event as a fraction point. */
    const toPx = (p) => [p[0] * size.width, p[1] * size.height];
    function fromEvent(e) {
      const box = svg.getBoundingClientRect();
      return [round((e.clientX - box.left) / box.width), round((e.clientY - box.top) / box.height)];
    }
    /** Picture pixels per screen pixel: handles and strokes keep their size on screen. */
    const scale = () => size.width / Math.max(1, svg.getBoundingClientRect().width);
    const pointsOf = (s) => (isLines ? [s.from, s.to] : s.polygon);

    function uniqueName(base) {
      let n = shapes.length + 1;
      const names = new Set(shapes.map((s) => s.name));
      while (names.has(base + ' ' + n)) n++;
      return base + ' ' + n;
    }

    function render() {
      renderPicture();
      renderList();
    }

    /** Only the drawing (while the pointer moves or a name is typed: the list keeps its focus). */
    function renderPicture() {
      svg.setAttribute('viewBox', '0 0 ' + size.width + ' ' + size.height);
      // The whole picture in view: at most a little over half the window's height.
      const ratio = size.width / size.height;
      stage.css('aspect-ratio', size.width + ' / ' + size.height);
      view.css('max-width', 'calc(58vh * ' + ratio.toFixed(4) + ')');
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      const k = scale();
      shapes.forEach((s, i) => drawShape(s, i, k));
      if (draft) drawDraft(k);
    }

    function drawShape(s, i, k) {
      const colour = COLOURS[i % COLOURS.length];
      const chosen = i === selected;
      const g = el('g', { class: 'sa-shape' + (chosen ? ' sa-selected' : '') }, svg);
      const pts = pointsOf(s).map(toPx);
      if (isLines) {
        const [a, b] = pts;
        const line = { x1: a[0], y1: a[1], x2: b[0], y2: b[1], 'data-shape': i, class: 'sa-body' };
        // A dark halo (also the grip: a line is easy to catch) under the coloured line.
        el(
          'line',
          { ...line, stroke: '#000', 'stroke-opacity': chosen ? 0.6 : 0.4, 'stroke-width': 11 * k },
          g,
        );
        el('line', { ...line, stroke: colour, 'stroke-width': (chosen ? 4.5 : 3.5) * k }, g);
        drawArrow(g, a, b, colour, k);
      } else {
        el(
          'polygon',
          {
            points: pts.map((p) => p.join(',')).join(' '),
            fill: colour,
            'fill-opacity': chosen ? 0.38 : 0.22,
            stroke: colour,
            'stroke-width': (chosen ? 3.5 : 2.5) * k,
            'stroke-linejoin': 'round',
            class: 'sa-body',
            'data-shape': i,
          },
          g,
        );
      }
      const label = el(
        'text',
        { x: pts[0][0] + 9 * k, y: pts[0][1] - 9 * k, 'font-size': 15 * k, class: 'sa-label' },
        g,
      );
      label.textContent = s.name + (s.queue ? ' (queue)' : '');
      pts.forEach((p, j) => {
        const on = chosen && j === selectedPoint;
        el(
          'circle',
          {
            cx: p[0],
            cy: p[1],
            r: (on ? 8 : 6) * k,
            fill: on ? '#fff' : colour,
            stroke: on ? colour : '#fff',
            'stroke-width': (on ? 3 : 2) * k,
            class: 'sa-handle',
            'data-shape': i,
            'data-point': j,
          },
          g,
        );
      });
    }

    /** The "in" arrow: across the line's middle, pointing to the side where cross(to - from, p - from) < 0. */
    function drawArrow(g, a, b, colour, k) {
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const length = Math.hypot(dx, dy) || 1;
      const n = [dy / length, -dx / length]; // cross(d, n) = -(dx² + dy²) / length < 0: the "in" side
      const m = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      const start = [m[0] - n[0] * 24 * k, m[1] - n[1] * 24 * k];
      const tip = [m[0] + n[0] * 34 * k, m[1] + n[1] * 34 * k];
      const side = [-n[1] * 10 * k, n[0] * 10 * k];
      const back = [tip[0] - n[0] * 16 * k, tip[1] - n[1] * 16 * k];
      const head = [tip, [back[0] + side[0], back[1] + side[1]], [back[0] - side[0], back[1] - side[1]]];
      const points = head.map((p) => p.join(',')).join(' ');
      const shaft = { x1: start[0], y1: start[1], x2: back[0], y2: back[1], class: 'sa-arrow' };
      el('line', { ...shaft, stroke: '#000', 'stroke-opacity': 0.5, 'stroke-width': 6 * k }, g);
      el(
        'polygon',
        {
          points,
          fill: '#000',
          'fill-opacity': 0.5,
          stroke: '#000',
          'stroke-opacity': 0.5,
          'stroke-width': 3 * k,
          class: 'sa-arrow',
        },
        g,
      );
      el('line', { ...shaft, stroke: colour, 'stroke-width': 3 * k }, g);
      el('polygon', { points, fill: colour, class: 'sa-arrow sa-in-arrow' }, g);
      // "in" beyond the tip, centred on the arrow's axis.
      const t = el(
        'text',
        {
          x: tip[0] + n[0] * 14 * k,
          y: tip[1] + n[1] * 14 * k,
          'font-size': 14 * k,
          'text-anchor': 'middle',
          'dominant-baseline': 'central',
          class: 'sa-label',
        },
        g,
      );
      t.textContent = 'in';
    }

    function drawDraft(k) {
      const pts = draft.points.map(toPx);
      if (draft.cursor) pts.push(toPx(draft.cursor));
      const dashed = { stroke: '#fff', 'stroke-dasharray': 8 * k, class: 'sa-draft' };
      if (isLines) {
        if (pts.length >= 2) {
          const ends = { x1: pts[0][0], y1: pts[0][1], x2: pts[1][0], y2: pts[1][1] };
          el(
            'line',
            { ...ends, stroke: '#000', 'stroke-opacity': 0.5, 'stroke-width': 6 * k, class: 'sa-draft' },
            svg,
          );
          el('line', { ...ends, ...dashed, 'stroke-width': 3 * k }, svg);
          // The "in" arrow while dragging: the way it will count is seen before the button is let go.
          if (Math.hypot(pts[1][0] - pts[0][0], pts[1][1] - pts[0][1]) > 30 * k) {
            drawArrow(el('g', { class: 'sa-draft', opacity: 0.8 }, svg), pts[0], pts[1], '#fff', k);
          }
        }
        return;
      }
      if (pts.length >= 2) {
        el(
          'polyline',
          { points: pts.map((p) => p.join(',')).join(' '), fill: 'none', ...dashed, 'stroke-width': 2.5 * k },
          svg,
        );
      }
      const closing = draft.points.length >= 3 && draft.cursor && nearFirst(draft.cursor);
      draft.points.map(toPx).forEach((p, j) =>
        el(
          'circle',
          {
            cx: p[0],
            cy: p[1],
            r: (j === 0 ? (closing ? 11 : 8) : 5) * k,
            fill: j === 0 ? '#fff' : '#ccc',
            stroke: '#000',
            'stroke-width': 1.5 * k,
            class: 'sa-draft',
          },
          svg,
        ),
      );
    }

    function nearFirst(at) {
      const first = toPx(draft.points[0]);
      const here = toPx(at);
      return Math.hypot(first[0] - here[0], first[1] - here[1]) <= 12 * scale();
    }

    function renderList() {
      list.empty();
      shapes.forEach((s, i) => {
        const row = $('<li class="sa-areas-row">')
          .toggleClass('sa-selected', i === selected)
          .appendTo(list);
        row.on('mousedown', (e) => {
          if (selected === i) return;
          selected = i;
          selectedPoint = -1;
          row.addClass('sa-selected').siblings().removeClass('sa-selected');
          renderPicture();
          if (!$(e.target).is('input, button, i, label')) e.preventDefault();
        });
        $('<span class="sa-swatch">')
          .css('background', COLOURS[i % COLOURS.length])
          .appendTo(row);
        const name = $('<input type="text" class="sa-areas-name" spellcheck="false">')
          .val(s.name)
          .attr('aria-label', words.one + ' name')
          .appendTo(row);
        name.on('input', () => {
          s.name = String(name.val());
          name.toggleClass(
            'input-error',
            s.name.trim() === '' || shapes.some((o) => o !== s && o.name === s.name),
          );
          changed();
          renderPicture();
        });
        $('<button type="button" class="red-ui-button red-ui-button-small sa-areas-delete">')
          .attr('title', TEXT.remove + ' ' + (s.name || words.one))
          .append('<i class="fa fa-trash"></i>')
          .on('click', () => remove(i))
          .appendTo(row);
        const detail = $('<div class="sa-areas-detail">').appendTo(row);
        if (isLines) {
          $('<span class="sa-areas-way">')
            .text(TEXT.inWay + ' ' + inWay(s))
            .appendTo(detail);
          $('<button type="button" class="red-ui-button red-ui-button-small sa-areas-reverse">')
            .attr('title', TEXT.reverseTip)
            .append('<i class="fa fa-exchange"></i> ', document.createTextNode(TEXT.reverse))
            .on('click', () => {
              [s.from, s.to] = [s.to, s.from];
              selected = i;
              changed();
              render();
            })
            .appendTo(detail);
        } else {
          const label = $('<label class="sa-areas-queue">').attr('title', TEXT.queueTip).appendTo(detail);
          $('<input type="checkbox">')
            .prop('checked', s.queue === true)
            .on('change', function () {
              if (this.checked) s.queue = true;
              else delete s.queue;
              changed();
              render();
            })
            .appendTo(label);
          label.append(document.createTextNode(TEXT.queue));
          $('<span>')
            .text(s.polygon.length + ' corners')
            .appendTo(detail);
        }
      });
      if (shapes.length === 0) $('<li class="sa-areas-empty">').text(words.none).appendTo(list);
    }

    function remove(i) {
      shapes.splice(i, 1);
      selected = Math.min(selected, shapes.length - 1);
      selectedPoint = -1;
      changed();
      render();
    }

    function removePoint(i, j) {
      const s = shapes[i];
      if (isLines) {
        remove(i); // a line needs both ends
        return;
      }
      if (s.polygon.length <= 3) {
        // A slip of the finger must not take a whole zone: that is the trash button's job.
        RED.notify(TEXT.threeCorners(s.name), { type: 'warning', timeout: 4000 });
        return;
      }
      s.polygon.splice(j, 1);
      selectedPoint = -1;
      changed();
      render();
    }

    function focusName(i) {
      // Without scrolling the dialog: the picture stays in view while the name is typed.
      const input = list.find('input.sa-areas-name').get(i);
      if (input) {
        input.focus({ preventScroll: true });
        input.select();
      }
    }

    function addShape(shape) {
      shapes.push(shape);
      selected = shapes.length - 1;
      selectedPoint = -1;
      changed();
      render();
      focusName(selected);
    }

    function closeZone() {
      const points = draft.points;
      draft = null;
      if (points.length < 3) {
        render();
        return;
      }
      addShape({ name: uniqueName('zone'), polygon: points });
    }

    // Pointer (mouse, pen or touch): handles and bodies drag; elsewhere draws.
    svg.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      stage[0].focus({ preventScroll: true });
      const target = e.target;
      const at = fromEvent(e);
      const shape = target.getAttribute('data-shape');
      // Shift: always draw (a zone inside another, a line over one).
      if (shape !== null && !draft && !e.shiftKey) {
        const i = Number(shape);
        const point = target.getAttribute('data-point');
        selected = i;
        selectedPoint = point === null ? -1 : Number(point);
        drag = { shape: i, point: selectedPoint, start: at, original: copy(shapes[i]), moved: false };
        render();
        return;
      }
      if (isLines) {
        draft = { points: [at], cursor: at };
        renderPicture();
        return;
      }
      // Zones: each click is a corner; on the first corner it closes the zone.
      if (draft && draft.points.length >= 3 && nearFirst(at)) {
        closeZone();
        return;
      }
      draft = draft || { points: [] };
      draft.points.push(at);
      draft.cursor = at;
      renderPicture();
    });
    svg.addEventListener('dblclick', (e) => {
      e.preventDefault();
      if (!isLines && draft) {
        // The double-click's two clicks added the same corner twice.
        const n = draft.points.length;
        if (n >= 2) {
          const a = draft.points[n - 1];
          const b = draft.points[n - 2];
          if (Math.abs(a[0] - b[0]) < 0.01 && Math.abs(a[1] - b[1]) < 0.01) draft.points.pop();
        }
        closeZone();
      }
    });

    function onMove(e) {
      if (!draft && !drag) return;
      const at = fromEvent(e);
      if (drag) {
        const s = shapes[drag.shape];
        const o = drag.original;
        if (drag.point >= 0) {
          if (isLines) s[drag.point === 0 ? 'from' : 'to'] = at;
          else s.polygon[drag.point] = at;
        } else {
          // The whole shape, kept inside the picture.
          const pts = pointsOf(o);
          const xs = pts.map((p) => p[0]);
          const ys = pts.map((p) => p[1]);
          const dx = Math.min(1 - Math.max(...xs), Math.max(-Math.min(...xs), at[0] - drag.start[0]));
          const dy = Math.min(1 - Math.max(...ys), Math.max(-Math.min(...ys), at[1] - drag.start[1]));
          const move = (p) => [round(p[0] + dx), round(p[1] + dy)];
          if (isLines) {
            s.from = move(o.from);
            s.to = move(o.to);
          } else s.polygon = o.polygon.map(move);
        }
        drag.moved = true;
        renderPicture();
        return;
      }
      draft.cursor = at;
      renderPicture();
    }
    function onUp(e) {
      if (drag) {
        const moved = drag.moved;
        drag = null;
        if (moved) {
          const s = shapes[selected];
          if (isLines && s && s.from[0] === s.to[0] && s.from[1] === s.to[1]) {
            remove(selected); // both ends on one point: no line left
            return;
          }
          changed();
          render();
        }
        return;
      }
      if (isLines && draft) {
        const from = draft.points[0];
        const to = fromEvent(e);
        draft = null;
        const a = toPx(from);
        const b = toPx(to);
        // A click, not a drag: no line.
        if (Math.hypot(a[0] - b[0], a[1] - b[1]) < 10 * scale()) {
          renderPicture();
          return;
        }
        addShape({ name: uniqueName('line'), from, to });
      }
    }
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);

    svg.addEventListener('contextmenu', (e) => {
      const point = e.target.getAttribute('data-point');
      if (point === null) return;
      e.preventDefault();
      removePoint(Number(e.target.getAttribute('data-shape')), Number(point));
    });
    stage.on('focus', () => stage.addClass('sa-focus')).on('blur', () => stage.removeClass('sa-focus'));
    stage.on('keydown', (e) => {
      if (e.key === 'Escape' && (draft || drag)) {
        if (drag) {
          shapes[drag.shape] = drag.original;
          drag = null;
        }
        draft = null;
        render();
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && selected >= 0) {
        if (selectedPoint >= 0) removePoint(selected, selectedPoint);
        else remove(selected);
      } else if (e.key.startsWith('Arrow') && selected >= 0 && !draft && !drag) {
        // Nudge the selected point (or shape) by one picture pixel, ten with Shift.
        const step = (e.shiftKey ? 10 : 1) / size.width;
        const stepY = (e.shiftKey ? 10 : 1) / size.height;
        const d = {
          ArrowLeft: [-step, 0],
          ArrowRight: [step, 0],
          ArrowUp: [0, -stepY],
          ArrowDown: [0, stepY],
        }[e.key];
        const s = shapes[selected];
        const move = (p) => [round(p[0] + d[0]), round(p[1] + d[1])];
        if (selectedPoint >= 0) {
          if (isLines) s[selectedPoint === 0 ? 'from' : 'to'] = move(pointsOf(s)[selectedPoint]);
          else s.polygon[selectedPoint] = move(s.polygon[selectedPoint]);
        } else if (isLines) {
          s.from = move(s.from);
          s.to = move(s.to);
        } else s.polygon = s.polygon.map(move);
        changed();
        render();
      } else return;
      e.preventDefault();
      e.stopPropagation();
    });
    const resize = () => renderPicture();
    $(window).on('resize', resize);

    fillPicker();
    showSetting();
    showCameraNote();
    render();
    showPicture();
    return {
      /** The shapes now (fractions). */
      value: () => shapes.map(copy),
      /** The names (the alert rules' zone select). */
      names: () => shapes.map((s) => s.name),
      resize,
      destroy() {
        destroyed = true;
        clearTimeout(retryTimer);
        window.removeEventListener('pointermove', onMove);
        window.removeEventListener('pointerup', onUp);
        $(window).off('resize', resize);
        cameraField.off('.sa-areas');
        if (objectUrl) URL.revokeObjectURL(objectUrl);
        root.remove();
      },
    };
  }

  /** What is wrong with the shapes (for the dialog's validation), or null. */
  function problem(kind, shapes) {
    const names = new Set();
    for (let i = 0; i < shapes.length; i++) {
      const s = shapes[i];
      const what = (kind === 'lines' ? 'line ' : 'zone ') + (i + 1);
      if (!s || typeof s.name !== 'string' || s.name.trim() === '') return what + ' needs a name';
      if (names.has(s.name))
        return (
          'the name "' +
          s.name +
          '" is used twice: give each ' +
          (kind === 'lines' ? 'line' : 'zone') +
          ' its own'
        );
      names.add(s.name);
      const pts = kind === 'lines' ? [s.from, s.to] : s.polygon;
      if (
        !Array.isArray(pts) ||
        pts.some(
          (p) =>
            !Array.isArray(p) ||
            p.length !== 2 ||
            p.some((v) => typeof v !== 'number' || !(v >= 0 && v <= 1)),
        )
      ) {
        return what + ' ("' + s.name + '"): points must be fractions of the frame (0 to 1)';
      }
      if (kind === 'lines' && pts[0][0] === pts[1][0] && pts[0][1] === pts[1][1])
        return what + ' ("' + s.name + '") has both ends on one point';
      if (kind === 'zones' && pts.length < 3) return what + ' ("' + s.name + '") needs at least 3 corners';
    }
    return null;
  }

  /** A setting that names an environment variable (${VAR}) instead of holding the shapes. */
  function isEnvReference(text) {
    return /^\s*\$\{[^}]+\}\s*$/.test(String(text || ''));
  }

  /** The shapes of a setting: the list, or [] when empty; throws on text that is not a list. */
  function parse(text) {
    if (text === undefined || text === null || String(text).trim() === '') return [];
    const value = JSON.parse(text);
    if (!Array.isArray(value)) throw new Error('not a list');
    return value;
  }

  window.StoreAnalyticsAreas = { create, problem, parse, isEnvReference, upstreamCameras, cameraIdOf, inWay };
})();
