/*
 * Drawing lines and zones on the camera picture, in the edit dialogs of line-counter and
 * zone-monitor. Served by Node-RED from this package's resources/ folder. Coordinates are kept as
 * fractions of the picture (0-1), so a change of camera resolution keeps them.
 *
 *   StoreAnalyticsAreas.create({ node, kind: 'lines' | 'zones', container, areas, cameraField, onChange })
 */
(function () {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  const COLOURS = ['#e0664b', '#2ca02c', '#1f77b4', '#ff7f0e', '#9467bd', '#17becf', '#d62728', '#bcbd22'];
  /** A blank stage when there is no picture: 16:9. */
  const BLANK = { width: 1600, height: 900 };
  const round = (v) => Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;

  // The widget's look, once for both dialogs.
  if (!document.getElementById('sa-areas-style')) {
    const style = document.createElement('style');
    style.id = 'sa-areas-style';
    style.textContent = [
      '.sa-areas-bar{display:flex;gap:6px;align-items:center;margin-bottom:6px;flex-wrap:wrap}',
      '.sa-areas-bar select{width:auto;min-width:140px}',
      '.sa-areas-note{color:var(--red-ui-secondary-text-color,#777);font-size:.9em}',
      '.sa-areas-stage{position:relative;width:100%;background:#222;border-radius:3px;overflow:hidden;outline:none;user-select:none}',
      '.sa-areas-stage:focus{box-shadow:0 0 0 2px var(--red-ui-form-input-focus-color,#2e7acc)}',
      '.sa-areas-blank{background:repeating-linear-gradient(45deg,#333,#333 12px,#3a3a3a 12px,#3a3a3a 24px)}',
      '.sa-areas-picture{position:absolute;inset:0;width:100%;height:100%;display:block}',
      '.sa-areas-blank .sa-areas-picture{display:none}',
      '.sa-areas-svg{position:absolute;inset:0;width:100%;height:100%;cursor:crosshair}',
      '.sa-areas-svg .sa-handle{cursor:move}.sa-areas-svg .sa-body{cursor:grab}',
      '.sa-areas-svg .sa-label{fill:#fff;paint-order:stroke;stroke:#000;stroke-width:3px;pointer-events:none;font-family:sans-serif}',
      '.sa-areas-svg .sa-arrow,.sa-areas-svg .sa-draft-point{pointer-events:none}',
      '.sa-areas-hint{color:var(--red-ui-secondary-text-color,#777);font-size:.85em;margin:4px 0}',
      '.sa-areas-list{list-style:none;margin:4px 0 0;padding:0}',
      '.sa-areas-row{display:flex;gap:6px;align-items:center;padding:3px 4px;border-radius:3px}',
      '.sa-areas-row.sa-selected{background:var(--red-ui-list-item-background-selected,#ffebc7)}',
      '.sa-areas-row .sa-areas-name{flex:1;width:auto !important}',
      '.sa-areas-queue{width:auto !important;margin:0 !important;white-space:nowrap}',
      '.sa-areas-queue input{width:auto !important;margin:0 !important;vertical-align:middle}',
      '.sa-swatch{width:12px;height:12px;border-radius:2px;flex:none}',
      '.sa-areas-empty{color:var(--red-ui-secondary-text-color,#777);font-style:italic}',
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
        cameras.push(n);
        continue;
      }
      RED.nodes.filterLinks({ target: n }).forEach((l) => queue.push(l.source));
      if (n.type === 'link in') (n.links || []).forEach((id) => queue.push(RED.nodes.node(id)));
    }
    return cameras;
  }

  /** The camera id as rtsp-in takes it: its camera id, else its name, else its node id. */
  const cameraIdOf = (n) => String(n.cameraId || n.name || n.id).trim();

  function el(tag, attrs, parent) {
    const e = document.createElementNS(SVG, tag);
    for (const k of Object.keys(attrs || {})) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  /** Fetches the frame with the editor's admin token (an <img src> cannot send it). */
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
      xhr.onload = () => {
        if (xhr.status === 200) resolve(URL.createObjectURL(xhr.response));
        else xhr.response.text().then((text) => reject(new Error(text || 'HTTP ' + xhr.status)), reject);
      };
      xhr.onerror = () => reject(new Error('the editor cannot reach Node-RED'));
      xhr.send();
    });
  }

  function create(options) {
    const kind = options.kind;
    const isLines = kind === 'lines';
    const node = options.node;
    let shapes = (options.areas || []).map((s) => JSON.parse(JSON.stringify(s)));
    let size = { width: BLANK.width, height: BLANK.height };
    let selected = shapes.length > 0 ? 0 : -1;
    let selectedPoint = -1;
    let draft = null; // a zone being drawn: its points; or a line being dragged out
    let drag = null; // { shape, point (-1: the whole shape), start, original }
    let objectUrl = null;

    const root = $('<div class="sa-areas">').appendTo(options.container);
    const bar = $('<div class="sa-areas-bar">').appendTo(root);
    const picker = $('<select class="sa-areas-camera" aria-label="camera picture">').appendTo(bar);
    const refresh = $(
      '<button type="button" class="red-ui-button red-ui-button-small" title="Load the camera picture again"><i class="fa fa-refresh"></i></button>',
    ).appendTo(bar);
    const note = $('<span class="sa-areas-note">').appendTo(bar);
    const stage = $('<div class="sa-areas-stage" tabindex="0">').appendTo(root);
    const img = $('<img class="sa-areas-picture" alt="camera picture">').appendTo(stage);
    const svg = el('svg', { class: 'sa-areas-svg', preserveAspectRatio: 'none' });
    stage.append(svg);
    const hint = $('<div class="sa-areas-hint">').appendTo(root);
    const list = $('<ol class="sa-areas-list">').appendTo(root);
    hint.text(
      isLines
        ? 'Drag on the picture to draw a line; the arrow shows the "in" direction. Drag a point or a line to move it; select a point and press Delete (or right-click it) to remove.'
        : 'Click on the picture to place the corners of a zone; click the first corner (or double-click) to close it, Esc to cancel (Shift+click starts a zone inside another). Drag a corner or a zone to move it; select a corner and press Delete (or right-click it) to remove.',
    );

    // The cameras this node is wired to; the node's Camera setting picks one.
    const cameras = upstreamCameras(node);
    function fillPicker() {
      picker.empty();
      if (cameras.length === 0) {
        picker.append($('<option value="">').text('no camera wired to this node'));
        picker.prop('disabled', true);
        return;
      }
      picker.prop('disabled', cameras.length === 1);
      cameras.forEach((c) => picker.append($('<option>').val(c.id).text(cameraIdOf(c))));
      const wanted = options.cameraField ? String($(options.cameraField).val() || '').trim() : '';
      const match = cameras.find((c) => cameraIdOf(c) === wanted);
      picker.val((match || cameras[0]).id);
    }
    function currentCamera() {
      return cameras.find((c) => c.id === picker.val());
    }

    function showPicture() {
      const camera = currentCamera();
      if (!camera) {
        note.text(
          'Wire a camera (rtsp-in) to this node to draw on its picture; you can draw on a blank frame meanwhile.',
        );
        useBlank();
        return;
      }
      note.text('loading the picture of ' + cameraIdOf(camera) + '…');
      fetchFrame(camera).then(
        (url) => {
          if (objectUrl) URL.revokeObjectURL(objectUrl);
          objectUrl = url;
          img.one('load', () => {
            size = { width: img[0].naturalWidth, height: img[0].naturalHeight };
            note.text(cameraIdOf(camera) + ': ' + size.width + ' × ' + size.height);
            stage.removeClass('sa-areas-blank');
            render();
          });
          img.attr('src', url);
        },
        (err) => {
          note.text(err.message + ' (drawing on a blank frame meanwhile)');
          useBlank();
        },
      );
    }
    function useBlank() {
      img.removeAttr('src');
      size = { width: BLANK.width, height: BLANK.height };
      stage.addClass('sa-areas-blank');
      render();
    }
    picker.on('change', () => {
      // Counting one camera's door: the picture chosen is the camera counted.
      const camera = currentCamera();
      if (camera && options.cameraField && cameras.length > 1) $(options.cameraField).val(cameraIdOf(camera));
      showPicture();
    });
    refresh.on('click', showPicture);

    /** Picture pixels of a fraction point, and back from a mouse event. */
    const toPx = (p) => [p[0] * size.width, p[1] * size.height];
    function fromEvent(e) {
      const box = svg.getBoundingClientRect();
      return [round((e.clientX - box.left) / box.width), round((e.clientY - box.top) / box.height)];
    }
    /** Screen pixels per picture pixel (handles keep their size on screen). */
    const scale = () => size.width / Math.max(1, svg.getBoundingClientRect().width);
    const pointsOf = (s) => (isLines ? [s.from, s.to] : s.polygon);

    function changed() {
      options.onChange(shapes.map((s) => JSON.parse(JSON.stringify(s))));
    }

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

    /** Only the drawing (while the mouse moves or a name is typed: the list keeps its focus). */
    function renderPicture() {
      svg.setAttribute('viewBox', '0 0 ' + size.width + ' ' + size.height);
      // The whole picture in view: at most about half the window's height.
      stage.css({
        'aspect-ratio': size.width + ' / ' + size.height,
        'max-width': 'calc(55vh * ' + (size.width / size.height).toFixed(4) + ')',
      });
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      const k = scale();
      shapes.forEach((s, i) => drawShape(s, i, k));
      if (draft) drawDraft(k);
    }

    function drawShape(s, i, k) {
      const colour = COLOURS[i % COLOURS.length];
      const g = el('g', { class: 'sa-shape' + (i === selected ? ' sa-selected' : ''), 'data-shape': i }, svg);
      const pts = pointsOf(s).map(toPx);
      if (isLines) {
        const [a, b] = pts;
        el(
          'line',
          {
            x1: a[0],
            y1: a[1],
            x2: b[0],
            y2: b[1],
            stroke: '#000',
            'stroke-opacity': 0.5,
            'stroke-width': 7 * k,
          },
          g,
        );
        el(
          'line',
          {
            x1: a[0],
            y1: a[1],
            x2: b[0],
            y2: b[1],
            stroke: colour,
            'stroke-width': 3.5 * k,
            class: 'sa-body',
            'data-shape': i,
          },
          g,
        );
        drawArrow(g, a, b, colour, k);
      } else {
        el(
          'polygon',
          {
            points: pts.map((p) => p.join(',')).join(' '),
            fill: colour,
            'fill-opacity': i === selected ? 0.35 : 0.22,
            stroke: colour,
            'stroke-width': 2.5 * k,
            class: 'sa-body',
            'data-shape': i,
          },
          g,
        );
      }
      const label = el(
        'text',
        { x: pts[0][0] + 8 * k, y: pts[0][1] - 8 * k, 'font-size': 15 * k, class: 'sa-label' },
        g,
      );
      label.textContent = s.name + (s.queue ? ' (queue)' : '');
      pts.forEach((p, j) =>
        el(
          'circle',
          {
            cx: p[0],
            cy: p[1],
            r: (i === selected && j === selectedPoint ? 8 : 6) * k,
            fill: i === selected && j === selectedPoint ? '#fff' : colour,
            stroke: '#fff',
            'stroke-width': 2 * k,
            class: 'sa-handle',
            'data-shape': i,
            'data-point': j,
          },
          g,
        ),
      );
    }

    /** The "in" arrow: from the middle of the line towards the side where cross(to - from, p - from) < 0. */
    function drawArrow(g, a, b, colour, k) {
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const length = Math.hypot(dx, dy) || 1;
      const n = [dy / length, -dx / length]; // cross(d, n) = -(dx² + dy²) / length < 0: the "in" side
      const m = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      const start = [m[0] - n[0] * 22 * k, m[1] - n[1] * 22 * k];
      const tip = [m[0] + n[0] * 30 * k, m[1] + n[1] * 30 * k];
      const side = [-n[1] * 9 * k, n[0] * 9 * k];
      const back = [tip[0] - n[0] * 14 * k, tip[1] - n[1] * 14 * k];
      el(
        'line',
        { x1: start[0], y1: start[1], x2: back[0], y2: back[1], stroke: colour, 'stroke-width': 3 * k },
        g,
      );
      el(
        'polygon',
        {
          points: [tip, [back[0] + side[0], back[1] + side[1]], [back[0] - side[0], back[1] - side[1]]]
            .map((p) => p.join(','))
            .join(' '),
          fill: colour,
          class: 'sa-arrow',
        },
        g,
      );
      const t = el(
        'text',
        {
          x: tip[0] + n[0] * 6 * k - 8 * k,
          y: tip[1] + n[1] * 6 * k + 14 * k,
          'font-size': 14 * k,
          class: 'sa-label',
        },
        g,
      );
      t.textContent = 'in';
    }

    function drawDraft(k) {
      const pts = draft.points.map(toPx);
      if (draft.cursor) pts.push(toPx(draft.cursor));
      if (isLines) {
        if (pts.length >= 2)
          el(
            'line',
            {
              x1: pts[0][0],
              y1: pts[0][1],
              x2: pts[1][0],
              y2: pts[1][1],
              stroke: '#fff',
              'stroke-width': 3 * k,
              'stroke-dasharray': 8 * k,
            },
            svg,
          );
        return;
      }
      el(
        'polyline',
        {
          points: pts.map((p) => p.join(',')).join(' '),
          fill: 'none',
          stroke: '#fff',
          'stroke-width': 2.5 * k,
          'stroke-dasharray': 8 * k,
        },
        svg,
      );
      draft.points.map(toPx).forEach((p, j) =>
        el(
          'circle',
          {
            cx: p[0],
            cy: p[1],
            r: (j === 0 ? 8 : 5) * k,
            fill: j === 0 ? '#fff' : '#aaa',
            class: 'sa-draft-point',
          },
          svg,
        ),
      );
    }

    function renderList() {
      list.empty();
      shapes.forEach((s, i) => {
        const row = $('<li class="sa-areas-row">')
          .toggleClass('sa-selected', i === selected)
          .appendTo(list);
        row.on('mousedown', (e) => {
          if (selected === i) return;
          select(i, -1, false);
          row.addClass('sa-selected').siblings().removeClass('sa-selected');
          renderPicture();
          if (!$(e.target).is('input, button, i, label')) e.preventDefault();
        });
        $('<span class="sa-swatch">')
          .css('background', COLOURS[i % COLOURS.length])
          .appendTo(row);
        const name = $('<input type="text" class="sa-areas-name">')
          .val(s.name)
          .attr('aria-label', (isLines ? 'line' : 'zone') + ' name')
          .appendTo(row);
        name.on('input', () => {
          s.name = String(name.val());
          changed();
          renderPicture();
        });
        if (isLines) {
          $(
            '<button type="button" class="red-ui-button red-ui-button-small" title="Swap the ends: in becomes out">',
          )
            .append('<i class="fa fa-exchange"></i> reverse')
            .on('click', () => {
              [s.from, s.to] = [s.to, s.from];
              changed();
              render();
            })
            .appendTo(row);
        } else {
          const label = $(
            '<label class="sa-areas-queue" title="A queue (a till): its statistics give queue length and wait times">',
          ).appendTo(row);
          $('<input type="checkbox">')
            .prop('checked', s.queue === true)
            .on('change', function () {
              if (this.checked) s.queue = true;
              else delete s.queue;
              changed();
              render();
            })
            .appendTo(label);
          label.append(' queue');
        }
        $('<button type="button" class="red-ui-button red-ui-button-small" title="Delete">')
          .append('<i class="fa fa-trash"></i>')
          .on('click', () => remove(i))
          .appendTo(row);
      });
      if (shapes.length === 0)
        $('<li class="sa-areas-empty">')
          .text(isLines ? 'no lines yet' : 'no zones yet')
          .appendTo(list);
    }

    function select(i, point, rerender = true) {
      selected = i;
      selectedPoint = point;
      if (rerender) render();
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
      if (isLines || s.polygon.length <= 3) {
        remove(i); // a line needs both ends, a zone three corners
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

    // Mouse: handles and bodies drag; empty picture draws.
    svg.addEventListener('mousedown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      stage.trigger('focus');
      const target = e.target;
      const at = fromEvent(e);
      const shape = target.getAttribute('data-shape');
      // Shift: always draw (a new zone starting inside another).
      if (shape !== null && !draft && !e.shiftKey) {
        const i = Number(shape);
        const point = target.getAttribute('data-point');
        select(i, point === null ? -1 : Number(point));
        drag = {
          shape: i,
          point: point === null ? -1 : Number(point),
          start: at,
          original: JSON.parse(JSON.stringify(shapes[i])),
          moved: false,
        };
        return;
      }
      if (isLines) {
        draft = { points: [at], cursor: at };
        render();
        return;
      }
      // Zones: each click is a corner; near the first corner closes the zone.
      if (draft && draft.points.length >= 3) {
        const first = toPx(draft.points[0]);
        const here = toPx(at);
        if (Math.hypot(first[0] - here[0], first[1] - here[1]) <= 12 * scale()) {
          closeZone();
          return;
        }
      }
      draft = draft || { points: [] };
      draft.points.push(at);
      render();
    });
    svg.addEventListener('dblclick', (e) => {
      e.preventDefault();
      if (!isLines && draft) {
        // The double-click's two clicks added the same corner twice.
        draft.points.pop();
        closeZone();
      }
    });
    function closeZone() {
      const points = draft.points;
      draft = null;
      if (points.length < 3) {
        render();
        return;
      }
      addShape({ name: uniqueName('zone'), polygon: points });
    }
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
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
          const d = [at[0] - drag.start[0], at[1] - drag.start[1]];
          const move = (p) => [round(p[0] + d[0]), round(p[1] + d[1])];
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
        if (drag.moved) changed();
        drag = null;
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
          render();
          return;
        }
        addShape({ name: uniqueName('line'), from, to });
      }
    }
    svg.addEventListener('contextmenu', (e) => {
      const point = e.target.getAttribute('data-point');
      if (point === null) return;
      e.preventDefault();
      removePoint(Number(e.target.getAttribute('data-shape')), Number(point));
    });
    stage.on('keydown', (e) => {
      if (e.key === 'Escape' && draft) {
        draft = null;
        render();
        e.stopPropagation();
        e.preventDefault();
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && selected >= 0) {
        if (selectedPoint >= 0) removePoint(selected, selectedPoint);
        else remove(selected);
        e.preventDefault();
      }
    });
    const resize = () => render();
    $(window).on('resize', resize);

    fillPicker();
    showPicture();
    return {
      /** The shapes now (fractions). */
      value: () => shapes.map((s) => JSON.parse(JSON.stringify(s))),
      /** Replaces the shapes (e.g. the setting typed in as JSON). */
      set(next) {
        shapes = (next || []).map((s) => JSON.parse(JSON.stringify(s)));
        selected = shapes.length > 0 ? 0 : -1;
        render();
      },
      /** The zones' names (for the alert rules' zone select). */
      names: () => shapes.map((s) => s.name),
      resize,
      destroy() {
        window.removeEventListener('mousemove', onMove);
        window.removeEventListener('mouseup', onUp);
        $(window).off('resize', resize);
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
      if (names.has(s.name)) return 'the name "' + s.name + '" is used twice';
      names.add(s.name);
      const pts = kind === 'lines' ? [s.from, s.to] : s.polygon;
      if (
        !Array.isArray(pts) ||
        pts.some(
          (p) =>
            !Array.isArray(p) || p.length !== 2 || p.some((v) => typeof v !== 'number' || v < 0 || v > 1),
        )
      ) {
        return what + ': points must be fractions of the frame (0 to 1)';
      }
      if (kind === 'lines' && pts[0][0] === pts[1][0] && pts[0][1] === pts[1][1])
        return what + ' has no length';
      if (kind === 'zones' && pts.length < 3) return what + ' needs at least 3 corners';
    }
    return null;
  }

  /** A setting that names an environment variable (${VAR}) instead of holding the shapes. */
  const isEnvReference = (text) => /^\s*\$\{[^}]+\}\s*$/.test(String(text || ''));

  /** The shapes of a setting: the list, or [] when empty; throws on text that is not a list. */
  function parse(text) {
    if (text === undefined || text === null || String(text).trim() === '') return [];
    const value = JSON.parse(text);
    if (!Array.isArray(value)) throw new Error('not a list');
    return value;
  }

  window.StoreAnalyticsAreas = { create, problem, parse, isEnvReference, upstreamCameras, cameraIdOf };
})();
