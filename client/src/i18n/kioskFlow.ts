/**
 * Strings of the kioskFlow screens (zh-CN default, en), kept apart from zh-CN.ts/en.ts so that this part of
 * the UI can grow on its own; mounted under `kioskFlow.` in both languages.
 *
 * Villagers read these from a metre away: short sentences in plain words. A problem always comes as two
 * sentences, what happened (`say`) and what the site operator (联络员) should do (`operator`).
 */
export const kioskFlowZhCN = {
  welcome: {
    heading: '欢迎来到{{site}}',
    headingGeneric: '欢迎使用共享法庭',
  },
  checkIn: {
    next: '下一步',
  },
  pin: {
    heading: '请联络员输入确认密码',
    forWhom: '核对身份：{{role}} {{name}}',
    lead: '联络员：请先核对当事人的身份证件，再输入您的 4 至 8 位确认密码。',
    label: '已输入的密码',
    clear: '清空',
    submit: '确认，开始检测',
  },
  actions: {
    retry: '再试一次',
    home: '返回首页',
    enterAgain: '重新进入',
  },
  joining: {
    heading: '正在进入，请稍候…',
    slow: '连接比平时慢，请再等一等。',
    slowOperator: '联络员：请检查网线是否插好；也可以点“返回首页”重新开始。',
  },
  reconnecting: {
    heading: '网络中断了，正在自动重新连接…',
    lead: '请不要离开，网络恢复后会自动继续。',
    operator: '联络员：如果一分钟后仍未恢复，请检查网线和路由器。',
  },
  problem: {
    wrongIdTail: {
      say: '身份证号码后几位与法院登记的不一致。',
      operator: '联络员：请与当事人一起核对身份证，然后重新输入。',
    },
    wrongPin: {
      say: '确认密码不正确。',
      operator: '联络员：请重新输入您的确认密码；忘记密码请致电法院。',
    },
    tooManyTries: {
      say: '输入错误次数太多，请过一会儿再试。',
      operator: '联络员：请等 15 分钟后再试；如急需开庭，请致电法院。',
    },
    noOperatorPin: {
      say: '本站点还没有设置联络员确认密码，暂时不能进入。',
      operator: '联络员：请致电法院，请管理员为本站点设置确认密码。',
    },
    notAtThisSite: {
      say: '这位当事人没有安排在本站点参加庭审。',
      operator: '联络员：请致电法院核对参加地点。',
    },
    checkInRefused: {
      say: '身份核对没有通过。',
      operator: '联络员：请核对身份证号码和确认密码后重新输入；仍不行请致电法院。',
    },
    checkInAgain: {
      say: '需要重新核对身份。',
      operator: '联络员：请让当事人重新输入身份证号码后几位，再输入确认密码。',
    },
    hearingCancelled: {
      say: '这场庭审已经取消。',
      operator: '联络员：如有疑问，请致电法院。',
    },
    cannotEnterNow: {
      say: '这场庭审现在还不能进入。',
      operator: '联络员：请核对开庭时间，稍后再试；仍不行请致电法院。',
    },
    offline: {
      say: '网络不通，这一步没有成功。',
      operator: '联络员：请检查网线是否插好，然后点“再试一次”。',
    },
    notEnrolled: {
      say: '本终端还没有登记或已被停用。',
      operator: '联络员：请向法院管理员索取新的登记码，重新登记本终端。',
    },
    notFound: {
      say: '找不到这场庭审。',
      operator: '联络员：请返回首页重新选择；仍不行请致电法院。',
    },
    serverError: {
      say: '法院服务器出了点问题，这一步没有成功。',
      operator: '联络员：请稍等一分钟后点“再试一次”；仍不行请致电法院。',
    },
    removed: {
      say: '这位当事人已在另一台设备上进入庭审，这里已经断开。',
      operator: '联络员：如果这是误操作，请点“重新进入”。',
    },
    left: {
      say: '您已离开这场庭审。',
      operator: '联络员：需要再次进入时，请点“重新进入”并重新核对身份。',
    },
    actionFailed: {
      say: '这一步现在做不了。',
      operator: '联络员：请稍后再试；仍不行请点“需要帮助”或致电法院。',
    },
    transcriptFailed: {
      say: '笔录没有读取成功。',
      operator: '联络员：请点“再试一次”；仍不行请致电法院书记员。',
    },
    transcriptChanged: {
      say: '书记员刚刚修改了笔录，签名没有提交。',
      operator: '联络员：请让当事人重新阅读新的笔录，再签名。',
    },
    signFailed: {
      say: '签名没有提交成功。',
      operator: '联络员：请点“确认签名”再试一次；仍不行请致电法院书记员。',
    },
    signatureTooBig: {
      say: '签名太复杂，无法保存。',
      operator: '联络员：请点“重写”，让当事人签得简单一些。',
    },
    noCrypto: {
      say: '本终端无法校验笔录，暂时不能签名。',
      operator: '联络员：请致电法院技术人员检查本终端。',
    },
  },
  selfTest: {
    heading: '设备检测',
    lead: '看一看、说一说、听一听。全部完成后，点最下面的按钮。',
    camera: {
      title: '摄像头',
      ok: '画面里能看到您就可以了。',
      pending: '正在打开摄像头…',
      blocked: '摄像头被禁止使用',
      missing: '没有找到摄像头',
      fallback: '选定的摄像头没有找到，已改用默认摄像头。',
    },
    mic: {
      title: '麦克风',
      label: '麦克风音量',
      hint: '请说一句话，绿色的条会跳动。',
      heard: '听到您的声音了。',
      pending: '正在打开麦克风…',
      blocked: '麦克风被禁止使用',
      missing: '没有找到麦克风',
      fallback: '选定的麦克风没有找到，已改用默认麦克风。',
    },
    speaker: {
      title: '音箱',
      play: '播放提示音',
      playing: '正在播放…',
      again: '再听一次',
      question: '刚才听到“嘟”的一声了吗？',
      yes: '听到了',
      no: '没听到',
      heard: '音箱正常。',
      notHeard: '没有听到提示音。',
    },
    network: {
      title: '网络',
      measuring: '正在检测网络…',
      rtt: '往返 {{value}} 毫秒',
      download: '下载 {{value}} Mbps',
      upload: '上传 {{value}} Mbps',
      unknown: '未测出',
      unreachable: '连不上法院服务器。',
    },
    grade: {
      good: '良好',
      ok: '一般',
      bad: '较差',
    },
    scoreHeading: '检测结果：{{grade}}',
    unfinished: '请完成上面的检测。',
    retest: '重新检测',
    continue: '进入候审室',
    continueAnyway: '仍然进入候审室',
    badNote: '联络员：最好先按上面的提示处理，再点“重新检测”；来不及的话，也可以继续。',
    sending: '正在进入候审室…',
  },
  advice: {
    cameraBlocked: '摄像头被禁止使用，法官将看不到您。联络员：请在本机设置中允许使用摄像头，或致电法院技术人员。',
    cameraMissing: '没有找到摄像头，法官将看不到您。联络员：请检查摄像头连线是否插好，然后点“重新检测”。',
    microphoneBlocked: '麦克风被禁止使用，法官将听不到您。联络员：请在本机设置中允许使用麦克风，或致电法院技术人员。',
    microphoneMissing: '没有找到麦克风，法官将听不到您。联络员：请检查麦克风连线是否插好，然后点“重新检测”。',
    cameraFallback:
      '设置里选定的摄像头没有找到，现在用的是本机默认摄像头。联络员：请检查摄像头连线，或在设备设置中重新选择。',
    microphoneFallback:
      '设置里选定的麦克风没有找到，现在用的是本机默认麦克风。联络员：请检查麦克风连线，或在设备设置中重新选择。',
    speakerNotHeard: '没有听到提示音，您可能听不到法官说话。联络员：请检查音箱电源和音量，然后点“重新检测”。',
    networkUnreachable: '连不上法院服务器。联络员：请检查网线是否插好，然后点“重新检测”。',
    rttSlow: '网络反应较慢，声音和画面可能会慢半拍。联络员：请尽量暂停本机附近其他人使用网络。',
    uploadSlow: '网络上传较慢，法官看到的画面可能不清楚。联络员：请检查网络，必要时联系网络服务商。',
    downloadSlow: '网络下载较慢，您看到的画面可能不清楚。联络员：请检查网络，必要时联系网络服务商。',
    speedUnknown: '没能测出网络速度。可以继续；如庭审中画面卡顿，请联络员检查网络。',
    allGood: '设备和网络都正常。',
  },
  waiting: {
    heading: '请稍候，法官会请您进入庭审',
    scheduled: '庭审还没有开始，请耐心等候。',
    open: '法官已经在线，很快会请您进入。',
    inSession: '庭审正在进行，轮到您时法官会请您进入。',
    selfView: '这是法官将看到的您的画面',
    othersHeading: '也在等候的人',
    nobodyElse: '目前没有其他人在等候。',
    leave: '离开（联络员）',
    leaveQuestion: '确定要离开吗？离开后需要重新核对身份才能进入。',
    leaveConfirm: '确定离开',
    leaveCancel: '不离开',
  },
  paused: {
    heading: '休庭中',
    reason: '休庭原因：{{reason}}',
    lead: '请在原地稍候，恢复开庭后会自动继续。',
  },
  hearing: {
    recording: '正在录音录像',
    speaking: '正在发言：{{name}}',
    judgeAway: '法官的画面暂时中断，请稍候。',
    you: '我',
    muted: '法官已关闭您的麦克风。需要发言时，请点“举手发言”。',
    raiseHand: '举手发言',
    lowerHand: '放下手',
    handRaised: '已举手，请等法官允许您发言。',
    needHelp: '需要帮助',
    cancelHelp: '取消求助',
    helpRequested: '已通知法院工作人员，请稍候。',
    documentStarting: '法官请您出示材料，正在打开实物展台…',
    documentSharing: '实物展台的画面正在向法庭展示。请把要出示的材料平放在展台上。',
    documentFailed: '实物展台没有打开，法庭看不到展台画面。联络员：请检查实物展台的连线，或在设备设置中重新选择。',
    documentPreview: '展台画面',
    documentOf: '{{name}}出示的材料',
  },
  transcript: {
    heading: '请阅读庭审笔录',
    lead: '请仔细阅读笔录（可以上下滑动）。确认无误后，在下面的框里签名。',
    loading: '正在读取笔录…',
    notYet: '书记员正在整理笔录，请稍候。',
    notYetOperator: '联络员：笔录完成后会自动显示在这里，请不要离开。',
    version: '第 {{version}} 版',
    updated: '书记员更新了笔录，请重新阅读后再签名。',
    signHeading: '请在框内用手指签名',
    padLabel: '签名区',
    clear: '重写',
    submit: '确认签名',
    sending: '正在提交签名…',
  },
  done: {
    heading: '签名完成，谢谢您！',
    lead: '庭审已经结束，您可以离开了。',
    countdown: '{{seconds}} 秒后回到首页',
  },
};

export const kioskFlowEn: typeof kioskFlowZhCN = {
  welcome: {
    heading: 'Welcome to {{site}}',
    headingGeneric: 'Welcome to the shared court',
  },
  checkIn: {
    next: 'Next',
  },
  pin: {
    heading: 'Operator: enter your confirmation PIN',
    forWhom: 'Confirming: {{role}} {{name}}',
    lead: "Operator: check the party's ID card first, then enter your 4 to 8 digit confirmation PIN.",
    label: 'PIN entered',
    clear: 'Clear',
    submit: 'Confirm',
  },
  actions: {
    retry: 'Try again',
    home: 'Back to the start',
    enterAgain: 'Enter again',
  },
  joining: {
    heading: 'Entering, please wait…',
    slow: 'Connecting takes longer than usual; please wait a little more.',
    slowOperator: 'Operator: check the network cable; or tap "Back to the start" to begin again.',
  },
  reconnecting: {
    heading: 'The network dropped; reconnecting by itself…',
    lead: 'Please stay here; it continues by itself once the network is back.',
    operator: 'Operator: if it is not back within a minute, check the network cable and the router.',
  },
  problem: {
    wrongIdTail: {
      say: 'The last digits of the ID number do not match what the court has on file.',
      operator: 'Operator: check the ID card together with the party, then enter the digits again.',
    },
    wrongPin: {
      say: 'The confirmation PIN is wrong.',
      operator: 'Operator: enter your confirmation PIN again; if you forgot it, call the court.',
    },
    tooManyTries: {
      say: 'Too many wrong tries; please wait a while.',
      operator: 'Operator: try again in 15 minutes; if the hearing cannot wait, call the court.',
    },
    noOperatorPin: {
      say: 'This site has no operator confirmation PIN yet, so nobody can enter now.',
      operator: 'Operator: call the court and ask the administrator to set a PIN for this site.',
    },
    notAtThisSite: {
      say: 'This party is not booked to attend from this site.',
      operator: 'Operator: call the court to check where the party should attend.',
    },
    checkInRefused: {
      say: 'The identity check did not pass.',
      operator: 'Operator: check the ID digits and your PIN and enter them again; if that fails, call the court.',
    },
    checkInAgain: {
      say: 'The identity has to be checked again.',
      operator: 'Operator: let the party enter the last digits of their ID number again, then enter your PIN.',
    },
    hearingCancelled: {
      say: 'This hearing has been cancelled.',
      operator: 'Operator: if in doubt, call the court.',
    },
    cannotEnterNow: {
      say: 'This hearing cannot be entered yet.',
      operator: 'Operator: check the hearing time and try again later; if that fails, call the court.',
    },
    offline: {
      say: 'The network is down; this step did not work.',
      operator: 'Operator: check the network cable, then tap "Try again".',
    },
    notEnrolled: {
      say: 'This kiosk is not enrolled or has been revoked.',
      operator: 'Operator: ask the court administrator for a new enrollment code and enroll this kiosk again.',
    },
    notFound: {
      say: 'This hearing cannot be found.',
      operator: 'Operator: go back to the start and choose again; if that fails, call the court.',
    },
    serverError: {
      say: 'The court server had a problem; this step did not work.',
      operator: 'Operator: wait a minute, then tap "Try again"; if that fails, call the court.',
    },
    removed: {
      say: 'This party entered the hearing on another device; this kiosk was disconnected.',
      operator: 'Operator: if that was a mistake, tap "Enter again".',
    },
    left: {
      say: 'You have left this hearing.',
      operator: 'Operator: to enter again, tap "Enter again" and check the identity again.',
    },
    actionFailed: {
      say: 'This cannot be done right now.',
      operator: 'Operator: try again later; if that fails, tap "Need help" or call the court.',
    },
    transcriptFailed: {
      say: 'The transcript could not be loaded.',
      operator: 'Operator: tap "Try again"; if that fails, call the court\'s clerk.',
    },
    transcriptChanged: {
      say: 'The clerk has just changed the transcript; the signature was not submitted.',
      operator: 'Operator: let the party read the new transcript, then sign again.',
    },
    signFailed: {
      say: 'The signature was not submitted.',
      operator: 'Operator: tap "Sign" to try again; if that fails, call the court\'s clerk.',
    },
    signatureTooBig: {
      say: 'The signature is too complex to be stored.',
      operator: 'Operator: tap "Start over" and let the party sign more simply.',
    },
    noCrypto: {
      say: 'This kiosk cannot verify the transcript, so it cannot be signed here.',
      operator: "Operator: call the court's technical staff to check this kiosk.",
    },
  },
  selfTest: {
    heading: 'Device check',
    lead: 'Look, speak, listen. When everything is done, tap the button at the bottom.',
    camera: {
      title: 'Camera',
      ok: 'It is fine if you can see yourself in the picture.',
      pending: 'Opening the camera…',
      blocked: 'The camera is blocked',
      missing: 'No camera found',
      fallback: 'The chosen camera was not found; the default camera is used.',
    },
    mic: {
      title: 'Microphone',
      label: 'Microphone level',
      hint: 'Please say something; the green bar moves.',
      heard: 'Your voice is heard.',
      pending: 'Opening the microphone…',
      blocked: 'The microphone is blocked',
      missing: 'No microphone found',
      fallback: 'The chosen microphone was not found; the default microphone is used.',
    },
    speaker: {
      title: 'Speaker',
      play: 'Play the test tone',
      playing: 'Playing…',
      again: 'Play it again',
      question: 'Did you hear a beep just now?',
      yes: 'Yes, I heard it',
      no: 'No',
      heard: 'The speaker works.',
      notHeard: 'The test tone was not heard.',
    },
    network: {
      title: 'Network',
      measuring: 'Checking the network…',
      rtt: 'round trip {{value}} ms',
      download: 'download {{value}} Mbit/s',
      upload: 'upload {{value}} Mbit/s',
      unknown: 'not measured',
      unreachable: 'The court server cannot be reached.',
    },
    grade: {
      good: 'Good',
      ok: 'OK',
      bad: 'Bad',
    },
    scoreHeading: 'Result: {{grade}}',
    unfinished: 'Please finish the checks above.',
    retest: 'Check again',
    continue: 'Go to the waiting room',
    continueAnyway: 'Go to the waiting room anyway',
    badNote:
      'Operator: best fix the problems above first and tap "Check again"; if there is no time, you may continue.',
    sending: 'Going to the waiting room…',
  },
  advice: {
    cameraBlocked:
      'The camera is blocked, so the judge will not see you. Operator: allow the camera in the settings of this machine, or call the court’s technical staff.',
    cameraMissing:
      'No camera was found, so the judge will not see you. Operator: check the camera cable, then tap "Check again".',
    microphoneBlocked:
      'The microphone is blocked, so the judge will not hear you. Operator: allow the microphone in the settings of this machine, or call the court’s technical staff.',
    microphoneMissing:
      'No microphone was found, so the judge will not hear you. Operator: check the microphone cable, then tap "Check again".',
    cameraFallback:
      'The camera chosen in the settings was not found; the default camera of this machine is used. Operator: check the camera cable, or choose the camera again in the device settings.',
    microphoneFallback:
      'The microphone chosen in the settings was not found; the default microphone of this machine is used. Operator: check the microphone cable, or choose the microphone again in the device settings.',
    speakerNotHeard:
      'The test tone was not heard, so you may not hear the judge. Operator: check the speaker’s power and volume, then tap "Check again".',
    networkUnreachable:
      'The court server cannot be reached. Operator: check the network cable, then tap "Check again".',
    rttSlow:
      'The network reacts slowly; sound and picture may lag a little. Operator: ask people nearby to pause other use of the network.',
    uploadSlow:
      'Uploads are slow; the judge may see an unclear picture. Operator: check the network, or call the network provider.',
    downloadSlow:
      'Downloads are slow; you may see an unclear picture. Operator: check the network, or call the network provider.',
    speedUnknown:
      'The network speed could not be measured. You may continue; if the picture stutters, operator: check the network.',
    allGood: 'The devices and the network work well.',
  },
  waiting: {
    heading: 'Please wait; the judge will call you in',
    scheduled: 'The hearing has not started yet; please be patient.',
    open: 'The judge is online and will call you in soon.',
    inSession: 'The hearing is in session; the judge will call you in when it is your turn.',
    selfView: 'This is how the judge will see you',
    othersHeading: 'Also waiting',
    nobodyElse: 'Nobody else is waiting right now.',
    leave: 'Leave (operator)',
    leaveQuestion: 'Really leave? Entering again needs a new identity check.',
    leaveConfirm: 'Leave',
    leaveCancel: 'Stay',
  },
  paused: {
    heading: 'Recess',
    reason: 'Reason for the recess: {{reason}}',
    lead: 'Please stay here; the hearing continues by itself when it resumes.',
  },
  hearing: {
    recording: 'Recording',
    speaking: 'Speaking: {{name}}',
    judgeAway: "The judge's picture is interrupted for a moment; please wait.",
    you: 'Me',
    muted: 'The judge has turned off your microphone. To speak, tap "Raise hand".',
    raiseHand: 'Raise hand',
    lowerHand: 'Lower hand',
    handRaised: 'Hand raised; please wait until the judge lets you speak.',
    needHelp: 'Need help',
    cancelHelp: 'Cancel the call for help',
    helpRequested: 'The court staff have been told; please wait.',
    documentStarting: 'The judge asks you to show a document; opening the document camera…',
    documentSharing: 'The document camera is being shown to the court. Lay the papers you want to show flat under it.',
    documentFailed:
      'The document camera did not open, so the court cannot see it. Operator: check its cable, or choose it again in the device settings.',
    documentPreview: 'Document camera',
    documentOf: 'Shown by {{name}}',
  },
  transcript: {
    heading: 'Please read the hearing transcript',
    lead: 'Read the transcript carefully (scroll up and down). If it is correct, sign in the box below.',
    loading: 'Loading the transcript…',
    notYet: 'The clerk is still finishing the transcript; please wait.',
    notYetOperator: 'Operator: it appears here by itself when it is ready; please stay.',
    version: 'Version {{version}}',
    updated: 'The clerk updated the transcript; please read it again before signing.',
    signHeading: 'Sign in the box with your finger',
    padLabel: 'Signature box',
    clear: 'Start over',
    submit: 'Sign',
    sending: 'Submitting the signature…',
  },
  done: {
    heading: 'Signed. Thank you!',
    lead: 'The hearing is over; you may leave now.',
    countdown: 'Back to the start in {{seconds}} s',
  },
};
