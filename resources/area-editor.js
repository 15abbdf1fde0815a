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
 *
 * This file is the dialog's wiring: the widget's elements, the setting (the drawing as JSON, or an
 * environment variable's name) and the list of shapes. The rest, each a script of its own that the
 * dialogs load (in no set order: each part is looked up when used), on window.StoreAnalyticsAreas:
 *   area-rules.js    the runtime's rules for lines and zones (built from nodes/lib/counting/area-rules.ts)
 *   area-model.js    the shapes and what can be done to them (pure; unit-tested in Node)
 *   area-drawing.js  the picture (SVG)            area-input.js   the pointer and the keys
 *   area-camera.js   the wired cameras, the picture   area-text.js   the words and the stylesheet
 */
(function () {
  'use strict';
  const ns = (window.StoreAnalyticsAreas = window.StoreAnalyticsAreas || {});

  function create(options) {
    const TEXT = ns.text;
    const kind = options.kind;
    const words = TEXT[kind];
    const isLines = kind === 'lines';
    const node = options.node;
    const field = $(options.field);
    const cameraField = options.cameraField ? $(options.cameraField) : $();
    const saved = field.length ? String(field.val() || '') : '';
    let envMode = ns.isEnvReference(saved);
    let unreadable = false;
    let shapes = [];
    if (!envMode) {
      try {
        shapes = ns.parse(saved);
      } catch {
        unreadable = true;
      }
    }
    const model = ns.model.createModel(kind, shapes);
    let size = { width: ns.camera.BLANK.width, height: ns.camera.BLANK.height };

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
    const svg = ns.drawing.el('svg', { class: 'sa-areas-svg', preserveAspectRatio: 'none' });
    stage.append(svg);
    const message = $('<div class="sa-areas-message">').appendTo(stage);
    $('<div class="sa-areas-hint">').html(words.hint).appendTo(view);
    const side = $('<div class="sa-areas-side">').appendTo(main);
    const list = $('<ol class="sa-areas-list">').appendTo(side);
    const cameraNote = $('<div class="sa-areas-camera-note">').appendTo(side);

    // ---- The setting: the drawing as JSON, or an environment variable's name. ----

    function writeField() {
      if (envMode) return;
      field.val(model.serialise()).trigger('change');
    }

    function changed() {
      unreadable = false;
      if (envMode) envMode = false; // drawing replaces the variable
      writeField();
      showSetting();
      if (options.onChange) options.onChange(model.value());
    }

    function showSetting() {
      envBox.toggle(envMode);
      envButton.toggle(!envMode);
      unreadableBox.toggle(unreadable && !envMode);
      if (envMode) {
        const name = ns.model.envName(field.val());
        if (name !== null && envName.val() !== name) envName.val(name);
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

    // ---- The camera and its picture (area-camera.js). ----

    const camera = ns.camera.attach(
      node,
      { picker, refresh, note, cameraNote, cameraField, img, stage, message },
      {
        setSize: (s) => {
          size = s;
        },
        render,
      },
    );

    // ---- The picture (area-drawing.js) and the list. ----

    /** Picture pixels per screen pixel: handles and strokes keep their size on screen. */
    const scale = () => size.width / Math.max(1, svg.getBoundingClientRect().width);

    function render() {
      renderPicture();
      renderList();
    }

    /** Only the drawing (while the pointer moves or a name is typed: the list keeps its focus). */
    function renderPicture() {
      ns.drawing.render({ view, stage, svg }, model, size, scale);
    }

    function renderList() {
      list.empty();
      model.shapes.forEach((s, i) => {
        const row = $('<li class="sa-areas-row">')
          .toggleClass('sa-selected', i === model.selected)
          .appendTo(list);
        row.on('mousedown', (e) => {
          if (model.selected === i) return;
          model.select(i);
          row.addClass('sa-selected').siblings().removeClass('sa-selected');
          renderPicture();
          if (!$(e.target).is('input, button, i, label')) e.preventDefault();
        });
        $('<span class="sa-swatch">').css('background', ns.drawing.colourOf(i)).appendTo(row);
        const name = $('<input type="text" class="sa-areas-name" spellcheck="false">')
          .val(s.name)
          .attr('aria-label', words.one + ' name')
          .appendTo(row);
        name.on('input', () => {
          name.toggleClass('input-error', model.rename(i, String(name.val())));
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
            .text(TEXT.inWay + ' ' + ns.inWay(s))
            .appendTo(detail);
          $('<button type="button" class="red-ui-button red-ui-button-small sa-areas-reverse">')
            .attr('title', TEXT.reverseTip)
            .append('<i class="fa fa-exchange"></i> ', document.createTextNode(TEXT.reverse))
            .on('click', () => {
              model.reverse(i);
              changed();
              render();
            })
            .appendTo(detail);
        } else {
          const label = $('<label class="sa-areas-queue">').attr('title', TEXT.queueTip).appendTo(detail);
          $('<input type="checkbox">')
            .prop('checked', s.queue === true)
            .on('change', function () {
              model.setQueue(i, this.checked);
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
      if (model.shapes.length === 0) $('<li class="sa-areas-empty">').text(words.none).appendTo(list);
    }

    function remove(i) {
      model.remove(i);
      changed();
      render();
    }

    function removePoint(i, j) {
      const name = model.shapes[i].name;
      if (model.removePoint(i, j) === 'kept') {
        // A slip of the finger must not take a whole zone: that is the trash button's job.
        RED.notify(TEXT.threeCorners(name), { type: 'warning', timeout: 4000 });
        return;
      }
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

    // ---- The pointer and the keys on the picture (area-input.js). ----

    const detach = ns.input.attach(stage, svg, model, {
      size: () => size,
      scale,
      render,
      renderPicture,
      changed,
      remove,
      removePoint,
      added(i) {
        changed();
        render();
        focusName(i);
      },
    });
    const resize = () => renderPicture();
    $(window).on('resize', resize);

    showSetting();
    render();
    camera.showPicture();
    return {
      /** The shapes now (fractions). */
      value: () => model.value(),
      /** The names (the alert rules' zone select). */
      names: () => model.names(),
      resize,
      destroy() {
        camera.destroy();
        detach();
        $(window).off('resize', resize);
        root.remove();
      },
    };
  }

  ns.create = create;
})();
